import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as it arrived. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body: `{ type, timestamp, data }`. */
  event: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Its answer status. */
  answered: number;
}

export type Responder = (request: ReceivedWebhook, response: ServerResponse) => number | Promise<number>;

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT/hook`. */
  url: string;
  received: ReceivedWebhook[];
  /** The requests answered 2xx. */
  delivered(): ReceivedWebhook[];
  /** How the next requests are answered (default: 204). Returns the status it answered. */
  respond(responder: Responder): void;
  /** Waits until `predicate` holds over what was received. */
  waitFor(predicate: (received: ReceivedWebhook[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Requests being answered right now (a responder may hold them). */
  inFlight(): number;
  /** The highest number of requests answered at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/** A real HTTP server on loopback that records every webhook request it gets. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let responder: Responder = () => 204;
  let current = 0;
  let most = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      current += 1;
      most = Math.max(most, current);
      const body = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedWebhook = {
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        headers: req.headers,
        body,
        event: JSON.parse(body),
        answered: 0,
      };
      received.push(request);
      try {
        request.answered = await responder(request, res);
      } catch {
        request.answered = 500;
      }
      current -= 1;
      if (!res.writableEnded) res.writeHead(request.answered).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    delivered: () => received.filter((request) => request.answered >= 200 && request.answered < 300),
    respond(next) {
      responder = next;
    },
    async waitFor(predicate, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (received ${received.length})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    inFlight: () => current,
    maxInFlight: () => most,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Throws unless the request verifies with `secret` (Standard Webhooks, via the `standardwebhooks` package). */
export function verifyWebhook(request: ReceivedWebhook, secret: string): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': request.id,
    'webhook-timestamp': request.timestamp,
    'webhook-signature': request.signature,
  });
}

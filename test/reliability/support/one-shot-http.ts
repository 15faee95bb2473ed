import { type Agent, request } from 'node:http';

export interface OneShotAnswer {
  status: number;
  body: string;
  /** The server's x-request-id: finds the request in the server's log. */
  requestId: string | null;
  /** The `Connection` header of the answer (`close` when the server ends the connection after it). */
  connection: string | null;
  retryAfter: string | null;
  ms: number;
}

/** How a request ended without an HTTP answer: nobody listening, the connection cut, or no answer in time. */
export type NoAnswer = 'refused' | 'reset' | 'timeout';

export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
  constructor(
    readonly kind: NoAnswer,
    readonly ms: number,
    cause: unknown,
  ) {
    super(`no answer (${kind})`, { cause });
  }
}

/**
 * One request on a connection of its own (no keep-alive pool), so "refused" means what it says: the server was
 * not accepting connections — or, with `agent`, on that keep-alive pool's connections. Rejects with NoAnswerError
 * when no HTTP answer came.
 */
export function oneShot(
  baseUrl: string,
  {
    method = 'GET',
    path,
    headers = {},
    body,
    timeoutMs = 10_000,
    agent,
  }: { method?: string; path: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number; agent?: Agent },
): Promise<OneShotAnswer> {
  const started = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      {
        method,
        agent: agent ?? false,
        headers: {
          ...headers,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const requestId = res.headers['x-request-id'];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            requestId: typeof requestId === 'string' ? requestId : null,
            connection: res.headers.connection ?? null,
            retryAfter: typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : null,
            ms: performance.now() - started,
          });
        });
        res.on('error', (error) => reject(new NoAnswerError('reset', performance.now() - started, error)));
      },
    );
    req.on('timeout', () => req.destroy(new NoAnswerError('timeout', performance.now() - started, null)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof NoAnswerError) return reject(error);
      reject(new NoAnswerError(error.code === 'ECONNREFUSED' ? 'refused' : 'reset', performance.now() - started, error));
    });
    req.end(payload);
  });
}

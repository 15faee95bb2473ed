import http from 'node:http';
import type { RequestSpec } from './load.ts';

export interface HttpAnswer {
  status: number;
  body: unknown;
  text: string;
}

/**
 * One request outside the load (probes, cursor walks, catalog reads), each on a new connection: a request on a kept-alive
 * connection would overtake the connections a finished run left in the server's accept queue, and so could not tell
 * when the server has caught up.
 */
export function send(baseUrl: string, spec: RequestSpec, timeoutMs = 30_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
    const request = http.request(
      `${baseUrl}${spec.path}`,
      {
        method: spec.method,
        agent: false,
        headers: { ...spec.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body: parseJson(text), text });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** `404 {"code":"NOT_FOUND",…}`, shortened: why a probe failed, for the report. */
export const describeAnswer = (answer: HttpAnswer) => `${answer.status} ${answer.text.replace(/\s+/g, ' ').slice(0, 160)}`;

export const json = (authorization?: string): Record<string, string> => ({
  'content-type': 'application/json',
  ...(authorization ? { authorization } : {}),
});

/** Walks a list round-robin: request n gets item n mod length. */
export function rotate<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to rotate through');
  let index = 0;
  return () => {
    const item = items[index % items.length] as T;
    index += 1;
    return item;
  };
}

/** Request n goes to user n mod users with variant ⌊n / users⌋ mod variants: each user's successive writes alternate. */
export function alternatePerUser<T, V>(users: readonly T[], variants: readonly V[]): () => [T, V] {
  if (users.length === 0 || variants.length === 0) throw new Error('nothing to rotate through');
  let request = 0;
  return () => {
    const user = users[request % users.length] as T;
    const variant = variants[Math.floor(request / users.length) % variants.length] as V;
    request += 1;
    return [user, variant];
  };
}

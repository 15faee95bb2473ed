import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface CallOptions {
  headers?: Record<string, string>;
  /** The client address the server sees (rate limits are per address). */
  remoteAddress?: string;
}

/** A REST call with a JSON body (or none). */
export function rest(app: FastifyInstance, method: 'GET' | 'POST', path: string, body?: unknown, options: CallOptions = {}) {
  return app.inject({
    method,
    url: `/api/v1${path}`,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

/** A single tRPC mutation, as httpLink sends it: POST /trpc/<procedure> with the raw input as JSON body. */
export function trpcMutation(app: FastifyInstance, procedure: string, input?: unknown, options: CallOptions = {}) {
  return app.inject({
    method: 'POST',
    url: `/trpc/${procedure}`,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(input === undefined ? {} : { payload: JSON.stringify(input) }),
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

/** The `data` of a tRPC success, or the `error` of a failure. */
export const trpcData = (res: LightMyRequestResponse) => res.json().result?.data;
export const trpcError = (res: LightMyRequestResponse) => res.json().error;

export const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/** A unique address for this run, so parallel runs sharing a Redis never share a rate-limit key. */
export const randomAddress = () => `10.${rand()}.${rand()}.${rand()}`;
const rand = () => Math.floor(Math.random() * 254) + 1;

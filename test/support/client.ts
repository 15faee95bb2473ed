import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/**
 * Calls a procedure through `app.inject` the way a client sends it, over either transport. Both return the
 * response as it is (`statusCode`, `headers`, `json()`, `body` as text); `trpcData` and `trpcError` read a tRPC
 * answer.
 */

type Headers = Record<string, string>;
export type RestMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Call {
  headers?: Headers;
  /** The client address the server sees (the auth rate limit is per address). */
  remoteAddress?: string;
}

/** A REST call under /api/v1; `body`, when given, is sent as JSON. */
export function rest(
  app: FastifyInstance,
  method: RestMethod,
  path: string,
  { body, headers = {}, remoteAddress }: Call & { body?: unknown } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url: `/api/v1${path}`,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

/**
 * A single tRPC call as httpLink sends it (no transformer): a query is GET /trpc/<procedure> with `input` in the
 * query string, a mutation is POST /trpc/<procedure> with the input as its JSON body (none when there is no input:
 * the app's JSON parser reads an empty body as no input).
 */
export function trpc(
  app: FastifyInstance,
  kind: 'query' | 'mutation',
  procedure: string,
  { input, headers = {}, remoteAddress }: Call & { input?: unknown } = {},
): Promise<LightMyRequestResponse> {
  const request: InjectOptions =
    kind === 'query'
      ? {
          method: 'GET',
          url: `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          headers,
        }
      : {
          method: 'POST',
          url: `/trpc/${procedure}`,
          headers: { ...headers, 'content-type': 'application/json' },
          ...(input === undefined ? {} : { payload: JSON.stringify(input) }),
        };
  return app.inject({ ...request, ...(remoteAddress ? { remoteAddress } : {}) });
}

export interface TrpcError {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    path?: string;
    issues?: { path: (string | number)[]; message: string }[];
    currentVersion?: number;
    reason?: string;
  };
}

/** The `data` of a tRPC success (undefined for a failure), as loosely typed as `res.json()`. */
export const trpcData = (res: LightMyRequestResponse) => res.json().result?.data;
/** The `error` of a tRPC failure; read it where the call is meant to fail (a success has none). */
export const trpcError = (res: LightMyRequestResponse): TrpcError => res.json().error;

export const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/** A unique address for this run, so parallel runs sharing a Redis never share a rate-limit key. */
export const randomAddress = () => `10.${rand()}.${rand()}.${rand()}`;
const rand = () => Math.floor(Math.random() * 254) + 1;

import type { FastifyInstance, InjectOptions } from 'fastify';

type Headers = Record<string, string>;

export interface Reply {
  status: number;
  body: unknown;
}

/** A tRPC call over HTTP as a client makes it: queries as GET with `input` in the query string, mutations as POST. */
export async function trpc(
  app: FastifyInstance,
  kind: 'query' | 'mutation',
  path: string,
  input: unknown,
  headers: Headers = {},
): Promise<Reply & { data: unknown; error: TrpcErrorData | undefined }> {
  const request: InjectOptions =
    kind === 'query'
      ? { method: 'GET', url: `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, headers }
      : {
          method: 'POST',
          url: `/trpc/${path}`,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: JSON.stringify(input ?? null),
        };
  const res = await app.inject(request);
  const body = res.json() as { result?: { data: unknown }; error?: { data: TrpcErrorData } };
  return { status: res.statusCode, body, data: body.result?.data, error: body.error?.data };
}

export interface TrpcErrorData {
  code: string;
  httpStatus: number;
  issues?: { path: (string | number)[]; message: string }[];
  currentVersion?: number;
}

/** A REST call under /api/v1; `body` is sent as JSON when given. */
export async function rest(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  headers: Headers = {},
  body?: unknown,
): Promise<Reply> {
  const res = await app.inject({
    method,
    url: `/api/v1${url}`,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
}

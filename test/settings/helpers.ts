import type { FastifyInstance } from 'fastify';

export interface Reply {
  status: number;
  body: unknown;
}

type Headers = Record<string, string>;

/** REST call under /api/v1; `payload` is sent as JSON. */
export async function rest(
  app: FastifyInstance,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  url: string,
  headers: Headers,
  payload?: unknown,
) {
  const res = await app.inject({
    method,
    url: `/api/v1${url}`,
    headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  return { status: res.statusCode, body: res.json() as unknown };
}

/** tRPC call without a transformer: queries put the input in the query string, mutations in the body. */
export async function trpc(app: FastifyInstance, kind: 'query' | 'mutation', path: string, headers: Headers, input?: unknown) {
  const res =
    kind === 'query'
      ? await app.inject({
          method: 'GET',
          url: `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          headers,
        })
      : await app.inject({
          method: 'POST',
          url: `/trpc/${path}`,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: JSON.stringify(input ?? null),
        });
  const body = res.json() as { result?: { data: unknown }; error?: { data: { code: string; issues?: unknown; currentVersion?: number } } };
  return { status: res.statusCode, data: body.result?.data, error: body.error };
}

export interface SettingView {
  key: string;
  value: unknown;
  settingType: string;
  category: string;
  description: string;
  isPublic: boolean;
  validationRules: Record<string, unknown>;
  isDefault: boolean;
}

export interface SettingsBody {
  settings: SettingView[];
  version: number;
}

export const byKey = (settings: readonly SettingView[]) => new Map(settings.map((setting) => [setting.key, setting]));

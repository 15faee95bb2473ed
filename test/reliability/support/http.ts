import { randomUUID } from 'node:crypto';
import { expandDeepMarkers } from './hostile.ts';
import type { RouterProcedure } from './procedures.ts';

export type Transport = 'trpc' | 'rest';

/** What goes on the wire: a JSON value (or no input at all), a raw body, or a raw query string. */
export type Payload =
  | { kind: 'json'; value: unknown }
  | { kind: 'raw-body'; body: string | Buffer; contentType?: string | undefined }
  | { kind: 'raw-query'; query: string };

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface WireResponse {
  status: number;
  body: string;
  requestId: string | null;
  ms: number;
}

export class RequestTimeout extends Error {
  override name = 'RequestTimeout';
}

/** Sends one request and reads the whole answer; a request that takes longer than `timeoutMs` is a hang. */
export async function send(baseUrl: string, request: WireRequest, timeoutMs: number): Promise<WireResponse> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}${request.url}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    return { status: res.status, body, requestId: res.headers.get('x-request-id'), ms: performance.now() - started };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new RequestTimeout(`${request.method} ${request.url.slice(0, 200)}: no answer within ${timeoutMs} ms`);
    }
    throw error;
  }
}

const stringify = (value: unknown) => expandDeepMarkers(JSON.stringify(value) ?? '');
const encode = (value: unknown) => (typeof value === 'string' ? expandDeepMarkers(value) : stringify(value));
// encodeURIComponent throws on a lone surrogate; a browser would send U+FFFD in its place.
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const encodeComponent = (text: string) => encodeURIComponent(text.replace(LONE_SURROGATES, '\ufffd'));
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** REST query string of an input: scalars as they are, arrays as repeated keys, objects as JSON. */
function restQuery(value: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    if (Array.isArray(field)) for (const item of field) params.append(key, encode(item));
    else params.append(key, encode(field));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * The request a client of `transport` makes for `payload`: tRPC queries put the input in `?input=`, mutations in a
 * JSON body; REST fills the path parameters from the input (random ids when it has none), sends the rest as the
 * query string (GET, DELETE) or the JSON body (POST, PUT).
 */
export function buildRequest(
  procedure: RouterProcedure,
  transport: Transport,
  payload: Payload,
  auth: Record<string, string>,
): WireRequest {
  const json = { 'content-type': 'application/json' };
  if (transport === 'trpc') {
    const url = `/trpc/${procedure.path}`;
    if (procedure.type === 'query') {
      if (payload.kind === 'raw-query') return { method: 'GET', url: `${url}?${payload.query}`, headers: auth };
      if (payload.kind === 'raw-body')
        return { method: 'GET', url: `${url}?input=${encodeComponent(String(payload.body))}`, headers: auth };
      const query = payload.value === undefined ? '' : `?input=${encodeURIComponent(stringify(payload.value))}`;
      return { method: 'GET', url: `${url}${query}`, headers: auth };
    }
    if (payload.kind === 'raw-query') return { method: 'POST', url: `${url}?${payload.query}`, headers: { ...auth, ...json }, body: '' };
    if (payload.kind === 'raw-body') {
      return { method: 'POST', url, headers: { ...auth, 'content-type': payload.contentType ?? 'application/json' }, body: payload.body };
    }
    return { method: 'POST', url, headers: { ...auth, ...json }, body: payload.value === undefined ? '' : stringify(payload.value) };
  }

  const { method, pathParams } = procedure.rest;
  const value = payload.kind === 'json' ? payload.value : undefined;
  const rest: Record<string, unknown> = isPlainObject(value) ? { ...value } : {};
  const path = procedure.rest.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const param = rest[name];
    delete rest[name];
    return param === undefined ? randomUUID() : encodeComponent(encode(param));
  });
  const url = `/api/v1${path}`;
  const readsQuery = method === 'GET' || method === 'DELETE';
  if (payload.kind === 'raw-query') return { method, url: `${url}?${payload.query}`, headers: auth };
  if (payload.kind === 'raw-body') {
    if (readsQuery) return { method, url: `${url}?${encodeComponent(String(payload.body).slice(0, 4000))}`, headers: auth };
    return { method, url, headers: { ...auth, 'content-type': payload.contentType ?? 'application/json' }, body: payload.body };
  }
  if (readsQuery) {
    // A value that is not an object has no query-string form: send it as a bare key, which no route declares.
    const query = isPlainObject(value) || value === undefined ? restQuery(rest) : `?${encodeComponent(encode(value))}`;
    return { method, url: `${url}${query}`, headers: auth };
  }
  const body = isPlainObject(value) ? (pathParams.length > 0 ? rest : value) : value;
  return { method, url, headers: { ...auth, ...json }, body: body === undefined ? '' : stringify(body) };
}

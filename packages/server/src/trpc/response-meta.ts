import type { AnyRouter, TRPCError } from '@trpc/server';
import { authRateLimitHeaders } from './auth-rate-limit.ts';
import type { Context } from './context.ts';
import { appErrorOf } from './error-mapping.ts';
import type { Meta } from './meta.ts';

type Procedures = Record<string, { _def: { meta?: Meta } }>;

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** 429s and 503s carry `Retry-After` on both transports. */
function retryAfterHeader(errors: readonly TRPCError[]): Readonly<Record<string, string>> {
  const seconds = Math.max(0, ...errors.map((error) => appErrorOf(error)?.details.retryAfterSeconds ?? 0));
  return seconds > 0 ? { 'Retry-After': String(Math.ceil(seconds)) } : NO_HEADERS;
}

interface ResponseMetaArgs {
  ctx?: Context | undefined;
  paths?: readonly string[] | undefined;
  errors: readonly TRPCError[];
}

/** `Retry-After` on 429s, and the `x-ratelimit-*` headers on responses the auth rate limit counted. */
function headersOf(ctx: Context | undefined, errors: readonly TRPCError[]): Readonly<Record<string, string>> {
  const limitHeaders = authRateLimitHeaders(ctx);
  const retryHeaders = errors.length > 0 ? retryAfterHeader(errors) : NO_HEADERS;
  return limitHeaders ? { ...limitHeaders, ...retryHeaders } : retryHeaders;
}

export const trpcResponseMeta = ({ ctx, errors }: ResponseMetaArgs) => ({ headers: headersOf(ctx, errors) });

/** Procedure path → the REST success status it declares (201, 204), for the procedures that declare one. */
export function successStatusByPath(router: AnyRouter): Map<string, number> {
  const statusByPath = new Map<string, number>();
  for (const [path, procedure] of Object.entries(router._def.procedures as Procedures)) {
    const status = procedure._def.meta?.successStatus;
    if (status) statusByPath.set(path, status);
  }
  return statusByPath;
}

/** REST: the success status a procedure declares (201, 204), and the headers above. */
export function createRestResponseMeta(router: AnyRouter) {
  const statusByPath = successStatusByPath(router);
  return ({ ctx, paths, errors }: ResponseMetaArgs) => {
    const headers = headersOf(ctx, errors);
    if (errors.length > 0) return { headers };
    const status = paths?.length === 1 && paths[0] ? statusByPath.get(paths[0]) : undefined;
    return status ? { status, headers } : { headers };
  };
}

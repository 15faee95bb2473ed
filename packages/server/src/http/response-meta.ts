import type { AnyRouter, TRPCError } from '@trpc/server';
import { appErrorOf } from '../trpc/error-mapping.ts';
import type { Meta } from '../trpc/meta.ts';

type Procedures = Record<string, { _def: { meta?: Meta } }>;

/** 429s carry `Retry-After` on both transports. */
function retryAfterHeader(errors: readonly TRPCError[]): Record<string, string> {
  const seconds = Math.max(0, ...errors.map((error) => appErrorOf(error)?.details.retryAfterSeconds ?? 0));
  return seconds > 0 ? { 'Retry-After': String(Math.ceil(seconds)) } : {};
}

interface ResponseMetaArgs {
  paths?: readonly string[] | undefined;
  errors: readonly TRPCError[];
}

export const trpcResponseMeta = ({ errors }: ResponseMetaArgs) => ({ headers: retryAfterHeader(errors) });

/** Procedure path → the REST success status it declares (201, 204), for the procedures that declare one. */
export function successStatusByPath(router: AnyRouter): Map<string, number> {
  const statusByPath = new Map<string, number>();
  for (const [path, procedure] of Object.entries(router._def.procedures as Procedures)) {
    const status = procedure._def.meta?.successStatus;
    if (status) statusByPath.set(path, status);
  }
  return statusByPath;
}

/** REST: the success status a procedure declares (201, 204), and `Retry-After` on errors. */
export function createRestResponseMeta(router: AnyRouter) {
  const statusByPath = successStatusByPath(router);
  return ({ paths, errors }: ResponseMetaArgs) => {
    if (errors.length > 0) return { headers: retryAfterHeader(errors) };
    const status = paths?.length === 1 && paths[0] ? statusByPath.get(paths[0]) : undefined;
    return status ? { status } : {};
  };
}

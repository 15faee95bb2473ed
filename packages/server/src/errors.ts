import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { TIssue } from '@ums/contract';

export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

export interface AppErrorDetails {
  /** Field-level problems, shown to REST callers in `issues` and to tRPC callers in `error.data.issues`. */
  issues?: TIssue[];
  /** For 429: how long the caller should wait. */
  retryAfterSeconds?: number;
  /** Extra machine-readable facts safe to show the caller (e.g. `currentVersion` on a version conflict). */
  data?: Record<string, unknown>;
  cause?: unknown;
}

/** A domain error: services throw it, and it is mapped to the transport in one place (toTRPCError). */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

/** One bad field: a 400 whose issue names the field. */
export const fieldError = (path: TIssue['path'], message: string) =>
  new AppError('BAD_REQUEST', 'Input validation failed', { issues: [{ path, message }] });

/**
 * trpc-to-openapi lists `issues` in the REST body only for errors caused by a ZodError, so field errors raised
 * by services travel as an error of that name; the tRPC error formatter reads the same list.
 */
export class FieldIssues extends Error {
  override name = 'ZodError';
  constructor(readonly issues: TIssue[]) {
    super('Input validation failed');
  }
}

export function toTRPCError(error: AppError): TRPCError {
  const code: TRPC_ERROR_CODE_KEY = error.code;
  const cause = error.details.issues?.length ? new FieldIssues(error.details.issues) : error;
  const trpcError = new TRPCError({ code, message: error.message, cause });
  return Object.assign(trpcError, { appError: error });
}

/** The AppError behind a TRPCError, if a service raised one. */
export const appErrorOf = (error: unknown): AppError | undefined =>
  (error as { appError?: AppError } | undefined)?.appError ?? (error instanceof AppError ? error : undefined);

/** PostgreSQL SQLSTATE classes and driver errors that mean "the database is not reachable right now". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const e = current as { code?: unknown; kind?: unknown; cause?: unknown; message?: unknown; errorCode?: unknown };
    const code = typeof e.code === 'string' ? e.code : typeof e.errorCode === 'string' ? e.errorCode : '';
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'P1001', 'P1002', 'P1017', 'P2024'].includes(code)) return true;
    if (/^(08|57P)/.test(code)) return true;
    // Every connection stayed busy for the transaction's whole maxWait: the database is saturated, try again.
    if (code === 'P2028' && typeof e.message === 'string' && /Unable to start a transaction/i.test(e.message)) return true;
    if (e.kind === 'DatabaseNotReachable' || e.kind === 'ConnectionClosed' || e.kind === 'SocketTimeout') return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|Can't reach database|connect ECONNREFUSED|terminating connection|the database system is (starting up|shutting down|in recovery mode)|57P03/i.test(
        e.message,
      )
    )
      return true;
    current = e.cause;
  }
  return false;
}

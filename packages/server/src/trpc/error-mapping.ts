import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { TIssue } from '@ums/contract';
import { isDatabaseUnavailable } from '@ums/db';
import { AppError } from '../app-error.ts';

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

type IssueLike = { code?: unknown; path?: PropertyKey[]; message?: unknown; keys?: unknown };

/**
 * `[{ path, message }]` from a ZodError (or a service's FieldIssues), nothing else: no input echoes back.
 * An unknown field becomes an issue at that field's own path, so callers see which field is not allowed.
 */
export function issuesOf(cause: unknown): TIssue[] | undefined {
  if (!(cause instanceof Error) || cause.name !== 'ZodError') return undefined;
  const issues = (cause as Error & { issues?: IssueLike[] }).issues ?? [];
  return issues.flatMap((issue) => {
    const path = (issue.path ?? []).map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    if (issue.code === 'unrecognized_keys' && Array.isArray(issue.keys)) {
      return issue.keys.map((key) => ({ path: [...path, String(key)], message: 'is not a field that can be set here' }));
    }
    return [{ path, message: String(issue.message ?? 'invalid') }];
  });
}

/** What a 503 tells the caller to wait: the database's timeouts free a blocked connection within seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * The one mapping from what a procedure threw to what the caller gets: domain errors to their tRPC codes, input
 * validation to the same `{ path, message }` issues on both transports, a database that is down or did not answer
 * in time (isDatabaseUnavailable) to 503 with Retry-After. Returns
 * the error to throw instead, or undefined to let the original through.
 */
export function mapProcedureError(error: TRPCError): TRPCError | undefined {
  const { cause } = error;
  if (cause instanceof AppError) return toTRPCError(cause);
  if (cause instanceof Error && cause.name === 'ZodError' && !(cause instanceof FieldIssues)) {
    return new TRPCError({ code: 'BAD_REQUEST', message: 'Input validation failed', cause: new FieldIssues(issuesOf(cause) ?? []) });
  }
  if (!(cause instanceof TRPCError) && isDatabaseUnavailable(error)) {
    return toTRPCError(
      new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly', {
        cause: error,
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      }),
    );
  }
  return undefined;
}

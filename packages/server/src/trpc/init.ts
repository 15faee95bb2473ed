import { initTRPC, TRPCError } from '@trpc/server';
import type { TIssue } from '@ums/contract';
import { AppError, appErrorOf, FieldIssues, isDatabaseUnavailable, toTRPCError } from '../errors.ts';
import type { Context } from './context.ts';
import { findUnsafeInput } from './input-guard.ts';
import type { Meta } from './meta.ts';

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

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // No stack traces on the wire, in any environment.
    isDev: false,
    errorFormatter({ shape, error }) {
      const appError = appErrorOf(error);
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: internal ? 'Internal server error' : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          issues: issuesOf(error.cause),
          retryAfterSeconds: appError?.details.retryAfterSeconds,
          ...appError?.details.data,
        },
      };
    },
  });

/**
 * The one middleware every procedure starts with (one layer, not two: each tRPC middleware costs a context
 * merge per call). It refuses input no field may hold (NUL, lone surrogates, hostile nesting) with a 400 naming
 * where it is, and maps domain errors to the transport in one place; a database that is down becomes 503.
 */
const guardInputAndMapErrors = t.middleware(async ({ getRawInput, next }) => {
  const problem = findUnsafeInput(await getRawInput());
  if (problem) throw toTRPCError(new AppError('BAD_REQUEST', 'Input validation failed', { issues: [problem] }));
  const result = await next();
  if (!result.ok) {
    const { cause } = result.error;
    if (cause instanceof AppError) throw toTRPCError(cause);
    // Input validation: both transports list the same `{ path, message }` issues (REST reads the cause's).
    if (cause instanceof Error && cause.name === 'ZodError' && !(cause instanceof FieldIssues)) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'Input validation failed', cause: new FieldIssues(issuesOf(cause) ?? []) });
    }
    if (!(cause instanceof TRPCError) && isDatabaseUnavailable(result.error)) {
      throw toTRPCError(new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly', { cause: result.error }));
    }
  }
  return result;
});

export const router = t.router;
export const baseProcedure = t.procedure.use(guardInputAndMapErrors);
export const createCallerFactory = t.createCallerFactory;

import { initTRPC } from '@trpc/server';
import { AppError } from '../app-error.ts';
import type { Context } from './context.ts';
import { appErrorOf, issuesOf, mapProcedureError, toTRPCError } from './error-mapping.ts';
import { findUnsafeInput } from './input-guard.ts';
import type { Meta } from './meta.ts';

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // No stack traces on the wire, in any environment.
    isDev: false,
    errorFormatter({ shape, error }) {
      const appError = appErrorOf(error);
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      const reason = appError?.details.reason;
      return {
        ...shape,
        message: internal ? 'Internal server error' : shape.message,
        // Top level for REST (trpc-to-openapi spreads the shape into its body), in data for tRPC clients.
        ...(reason ? { reason } : {}),
        data: {
          reason,
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
 * The one middleware every procedure starts with (one layer, not two: each tRPC middleware costs a context merge
 * per call). It refuses input no field may hold (NUL, lone surrogates, hostile nesting) with a 400 naming where it
 * is, wakes the webhook dispatcher after a mutation, and maps what the procedure threw to the transport (error-mapping.ts).
 */
const guardInputAndMapErrors = t.middleware(async ({ ctx, type, getRawInput, next }) => {
  const problem = findUnsafeInput(await getRawInput());
  if (problem) throw toTRPCError(new AppError('BAD_REQUEST', 'Input validation failed', { issues: [problem] }));
  const result = await next();
  // A committed change may have written webhook deliveries (recordAudit does): send them now, not at the next poll.
  if (type === 'mutation' && result.ok) ctx.webhooks.wake.afterMutation();
  if (!result.ok) {
    const mapped = mapProcedureError(result.error);
    if (mapped) throw mapped;
  }
  return result;
});

export const router = t.router;
export const baseProcedure = t.procedure.use(guardInputAndMapErrors);

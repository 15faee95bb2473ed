import type { Permission } from '@ums/contract';
import { authenticateRequest } from '../auth/authenticate.ts';
import { AppError } from '../errors.ts';
import type { AuthedContext } from './context.ts';
import { baseProcedure } from './init.ts';

export const publicProcedure = baseProcedure.meta({ access: { kind: 'public' } });

/** Signed in: a valid access token whose session is live and whose user is active, checked on every call. */
export const authedProcedure = baseProcedure.meta({ access: { kind: 'signedIn' } }).use(async ({ ctx, next }) => {
  const auth = await authenticateRequest(ctx);
  const authed: AuthedContext = {
    ...ctx,
    auth,
    actor: { actorId: auth.userId, ip: ctx.request.ip, userAgent: ctx.request.userAgent, requestId: ctx.request.id },
  };
  return next({ ctx: authed });
});

const requirePermission = (permission: Permission, orSelf: boolean) =>
  authedProcedure.use(async ({ ctx, getRawInput, next }) => {
    if (ctx.auth.permissions.has(permission)) return next();
    if (!orSelf) throw new AppError('FORBIDDEN', `Missing permission ${permission}`);
    // Only an exact match with the caller's own id lets `orSelf` through (the input parser then sees the same
    // string); anything else fails closed.
    const raw = await getRawInput();
    const targetId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof targetId === 'string' && targetId === ctx.auth.userId) return next();
    throw new AppError('FORBIDDEN', `Missing permission ${permission}`);
  });

/** One procedure builder per permission; the permission is recorded in the meta and checked fail-closed. */
export const permissionProcedure = (permission: Permission) =>
  requirePermission(permission, false).meta({ access: { kind: 'permission', permission } });

/** The permission, or the caller acting on themselves (input `id` equal to the caller's id). */
export const permissionOrSelfProcedure = (permission: Permission) =>
  requirePermission(permission, true).meta({ access: { kind: 'permission', permission, orSelf: true } });

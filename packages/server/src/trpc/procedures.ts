import type { Permission } from '@ums/contract';
import { AppError } from '../app-error.ts';
import { type AuthState, authenticate } from '../modules/sessions/authenticate.ts';
import { limitAuthCalls } from './auth-rate-limit.ts';
import type { AuthedContext, Context, RequestInfo } from './context.ts';
import { baseProcedure, t } from './init.ts';

export const publicProcedure = baseProcedure.meta({ access: { kind: 'public' } });

// One session check per HTTP request: the calls of a tRPC batch share the request (and its context), so they
// share the answer instead of each asking the database again. A refusal is shared too.
const authenticationByRequest = new WeakMap<RequestInfo, Promise<AuthState>>();

function authenticateOnce(ctx: Context): Promise<AuthState> {
  let auth = authenticationByRequest.get(ctx.request);
  if (!auth) {
    auth = authenticate(ctx, ctx.request.authorization);
    authenticationByRequest.set(ctx.request, auth);
  }
  return auth;
}

/** What signing in adds to the context; only these two keys go to `next()`, which merges them into the context. */
async function signedInFields(ctx: Context): Promise<Pick<AuthedContext, 'auth' | 'actor'>> {
  const auth = await authenticateOnce(ctx);
  ctx.request.signedInAs(auth.userId);
  return { auth, actor: { ...ctx.actor, actorId: auth.userId } };
}

const requireSignedIn = t.middleware(async ({ ctx, next }) => next({ ctx: await signedInFields(ctx) }));

/** Signed in: a valid access token whose session is live and whose user is active, checked on every request. */
export const authedProcedure = baseProcedure.meta({ access: { kind: 'signedIn' } }).use(requireSignedIn);

/** The `auth` procedures: counted against the caller's address first (auth-rate-limit.ts), then as above. */
export const rateLimitedPublicProcedure = baseProcedure.meta({ access: { kind: 'public' }, rateLimited: true }).use(limitAuthCalls);
export const rateLimitedAuthedProcedure = baseProcedure
  .meta({ access: { kind: 'signedIn' }, rateLimited: true })
  .use(limitAuthCalls)
  .use(requireSignedIn);

// Signing in and the permission check are one middleware: each tRPC middleware costs a context merge per call.
const requirePermission = (permission: Permission, orSelf: boolean) =>
  t.middleware(async ({ ctx, getRawInput, next }) => {
    const signedIn = await signedInFields(ctx);
    if (signedIn.auth.permissions.has(permission)) return next({ ctx: signedIn });
    if (!orSelf) throw new AppError('FORBIDDEN', `Missing permission ${permission}`);
    // Only an exact match with the caller's own id lets `orSelf` through (the input parser then sees the same
    // string); anything else fails closed.
    const raw = await getRawInput();
    const targetId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof targetId === 'string' && targetId === signedIn.auth.userId) return next({ ctx: signedIn });
    throw new AppError('FORBIDDEN', `Missing permission ${permission}`);
  });

/** One procedure builder per permission; the permission is recorded in the meta and checked fail-closed. */
export const permissionProcedure = (permission: Permission) =>
  baseProcedure.use(requirePermission(permission, false)).meta({ access: { kind: 'permission', permission } });

/** The permission, or the caller acting on themselves (input `id` equal to the caller's id). */
export const permissionOrSelfProcedure = (permission: Permission) =>
  baseProcedure.use(requirePermission(permission, true)).meta({ access: { kind: 'permission', permission, orSelf: true } });

/** A permission procedure that first counts against the caller's auth rate limit: for calls that check a password. */
export const rateLimitedPermissionProcedure = (permission: Permission) =>
  baseProcedure
    .use(limitAuthCalls)
    .use(requirePermission(permission, false))
    .meta({ access: { kind: 'permission', permission }, rateLimited: true });

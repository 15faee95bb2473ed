import type { Permission } from '@ums/contract';
import { AppError } from '../app-error.ts';
import { mfaEnrolmentRequired, reauthRequired } from '../modules/mfa/mfa-errors.ts';
import { type AuthState, authenticate } from '../modules/sessions/authenticate.ts';
import { limitAuthCalls } from './auth-rate-limit.ts';
import type { AuthedContext, Context, RequestInfo } from './context.ts';
import { baseProcedure, t } from './init.ts';
import type { Meta, SessionRequirements } from './meta.ts';

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

/**
 * What signing in adds to the context; only these two keys go to `next()`, which merges them into the context.
 * The session requirements the procedure's meta declares are checked here, for every signed-in builder alike, and
 * fail closed: without `duringMfaEnrolment`, a caller who must enrol is refused; with `recent`, only a session that
 * proved a factor within REAUTH_MAX_AGE passes.
 */
async function signedInFields(ctx: Context, meta: Meta | undefined): Promise<Pick<AuthedContext, 'auth' | 'actor'>> {
  const auth = await authenticateOnce(ctx);
  ctx.request.signedInAs(auth.userId);
  if (auth.mfaEnrolmentRequired && requirementsOf(meta).duringMfaEnrolment !== true) throw mfaEnrolmentRequired();
  return { auth, actor: { ...ctx.actor, actorId: auth.userId } };
}

const requirementsOf = (meta: Meta | undefined): SessionRequirements => {
  const access = meta?.access;
  return access && access.kind !== 'public' ? access : {};
};

/** Step-up, after the permission: a caller without the permission learns that first. */
function assertRecentIfDeclared(ctx: Context, auth: AuthState, meta: Meta | undefined): void {
  if (requirementsOf(meta).recent !== true) return;
  const ageMs = Date.now() - auth.authenticatedAt.getTime();
  if (!(ageMs <= ctx.config.reauthMaxAgeSeconds * 1000)) throw reauthRequired();
}

const requireSignedIn = t.middleware(async ({ ctx, meta, next }) => {
  const signedIn = await signedInFields(ctx, meta);
  assertRecentIfDeclared(ctx, signedIn.auth, meta);
  return next({ ctx: signedIn });
});

/** Signed in: a valid access token whose session is live and whose user is active, checked on every request. */
export const authedProcedure = baseProcedure.meta({ access: { kind: 'signedIn' } }).use(requireSignedIn);

/** The `auth` procedures: counted against the caller's address first (auth-rate-limit.ts), then as above. */
export const rateLimitedPublicProcedure = baseProcedure.meta({ access: { kind: 'public' }, rateLimited: true }).use(limitAuthCalls);
/** Signed in, counted against the auth rate limit, with the session requirements given. */
export const rateLimitedAuthedProcedureWith = (requirements: SessionRequirements) =>
  baseProcedure
    .meta({ access: { kind: 'signedIn', ...requirements }, rateLimited: true })
    .use(limitAuthCalls)
    .use(requireSignedIn);
export const rateLimitedAuthedProcedure = rateLimitedAuthedProcedureWith({});

// Signing in and the permission check are one middleware: each tRPC middleware costs a context merge per call.
const requirePermission = (permission: Permission, orSelf: boolean, alsoRequires: readonly Permission[] = []) =>
  t.middleware(async ({ ctx, meta, getRawInput, next }) => {
    const signedIn = await signedInFields(ctx, meta);
    const allowed = async () => {
      if (!alsoRequires.every((other) => signedIn.auth.permissions.has(other))) return false;
      if (signedIn.auth.permissions.has(permission)) return true;
      if (!orSelf) return false;
      // Only an exact match with the caller's own id lets `orSelf` through (the input parser then sees the same
      // string); anything else fails closed.
      const raw = await getRawInput();
      const targetId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      return typeof targetId === 'string' && targetId === signedIn.auth.userId;
    };
    if (!(await allowed())) throw new AppError('FORBIDDEN', `Missing permission ${[permission, ...alsoRequires].join(' + ')}`);
    assertRecentIfDeclared(ctx, signedIn.auth, meta);
    return next({ ctx: signedIn });
  });

/**
 * One procedure builder per permission; the permission (and any session requirement: `recent`,
 * `duringMfaEnrolment`) is recorded in the meta and checked fail-closed.
 */
export const permissionProcedure = (permission: Permission, requirements: SessionRequirements = {}) =>
  baseProcedure.use(requirePermission(permission, false)).meta({ access: { kind: 'permission', permission, ...requirements } });

/** Every one of the permissions given (the first is the one the meta names `permission`), with the session requirements. */
export const allPermissionsProcedure = (
  [permission, ...alsoRequires]: readonly [Permission, ...Permission[]],
  requirements: SessionRequirements = {},
) =>
  baseProcedure
    .use(requirePermission(permission, false, alsoRequires))
    .meta({ access: { kind: 'permission', permission, alsoRequires, ...requirements } });

/** The permission, or the caller acting on themselves (input `id` equal to the caller's id). */
export const permissionOrSelfProcedure = (permission: Permission) =>
  baseProcedure.use(requirePermission(permission, true)).meta({ access: { kind: 'permission', permission, orSelf: true } });

/** A permission procedure that first counts against the caller's auth rate limit: for calls that check a password. */
export const rateLimitedPermissionProcedure = (permission: Permission, requirements: SessionRequirements = {}) =>
  baseProcedure
    .use(limitAuthCalls)
    .use(requirePermission(permission, false))
    .meta({ access: { kind: 'permission', permission, ...requirements }, rateLimited: true });

import type { Permission, TUser } from '@ums/contract';
import { findLiveSession, touchSession } from '@ums/db';
import { sessionEnded } from '../auth/auth-errors.ts';
import type { ServiceDeps } from '../service-deps.ts';

/** What signing in proves about the caller, once per request. */
export interface AuthState {
  userId: string;
  sessionId: string;
  /** The caller's profile as read with the session, at the start of this request. */
  user: TUser;
  permissions: ReadonlySet<Permission>;
  /** The last time the session proved a factor: what "recent" procedures are judged on. */
  authenticatedAt: Date;
  /** A role requires MFA and the user has no factor: only enrolment procedures are allowed. */
  mfaEnrolmentRequired: boolean;
  /** Set when this is an impersonation session (users.impersonate): the administrator acting as the user. */
  impersonatorId: string | null;
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.]{1,4096})$/;
const SESSION_TOUCH_INTERVAL_MS = 60_000;

/**
 * Proves who is calling from the Authorization header: a bearer token with a valid signature, pinned algorithm,
 * issuer, audience and expiry, whose session is live and whose user is active — read from the database on every
 * call (one indexed query that also reads the user), so logout, deactivation, password and role changes count
 * from the very next request. Every failure is the same 401: a caller learns nothing about why.
 */
export async function authenticate(
  { db, tokens }: Pick<ServiceDeps, 'db' | 'tokens'>,
  authorization: string | undefined,
): Promise<AuthState> {
  const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
  const claims = token ? tokens.verifyAccessToken(token) : null;
  if (!claims) throw sessionEnded();
  const session = await findLiveSession(db, claims.sessionId);
  // The token's user must own the session; lower-cased as PostgreSQL writes uuids (a token's sub may be either).
  if (!session || session.id !== claims.userId.toLowerCase()) throw sessionEnded();
  const { sessionLastUsedAt, permissions, authenticatedAt, mfaEnrolmentRequired, impersonatorId, ...user } = session;
  if (Date.now() - sessionLastUsedAt.getTime() > SESSION_TOUCH_INTERVAL_MS) await touchSession(db, claims.sessionId);
  return {
    userId: claims.userId,
    sessionId: claims.sessionId,
    user,
    permissions: new Set(permissions as Permission[]),
    authenticatedAt,
    mfaEnrolmentRequired,
    impersonatorId,
  };
}

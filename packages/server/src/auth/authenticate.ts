import type { Permission } from '@ums/contract';
import { AppError } from '../errors.ts';
import { loadLiveSession, touchSession } from '../services/sessions.ts';
import type { AuthState, Context } from '../trpc/context.ts';

// One message for every failure: a caller learns nothing about why a token was refused.
const unauthorized = () => new AppError('UNAUTHORIZED', 'Not signed in, or the session has ended');

const SESSION_TOUCH_INTERVAL_MS = 60_000;

/**
 * Proves who is calling: a bearer token with a valid signature, pinned algorithm, issuer, audience and expiry,
 * whose session is live and whose user is active — read from the database on every call (one indexed query that
 * also reads the user),
 * so logout, deactivation, password and role changes count from the very next request.
 */
export async function authenticateRequest(ctx: Context): Promise<AuthState> {
  const header = ctx.request.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9_\-.]{1,4096})$/.exec(header) : null;
  if (!match?.[1]) throw unauthorized();
  const claims = ctx.tokens.verifyAccessToken(match[1]);
  if (!claims) throw unauthorized();
  const session = await loadLiveSession(ctx.sql, claims);
  if (!session) throw unauthorized();
  if (Date.now() - session.lastUsedAt.getTime() > SESSION_TOUCH_INTERVAL_MS) await touchSession(ctx.db, claims.sessionId);
  return {
    userId: claims.userId,
    sessionId: claims.sessionId,
    user: session.user,
    permissions: new Set(session.permissions as Permission[]),
  };
}

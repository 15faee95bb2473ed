import type { TRefreshInput, TTokens } from '@ums/contract';
import { claimRefreshToken, extendLiveSession, findRefreshToken, insertRefreshToken } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { revokeSessionsAudited } from '../sessions/revoke-sessions.ts';
import { invalidRefreshToken } from './auth-errors.ts';
import { hashRefreshToken, newRefreshToken } from './tokens.ts';

/**
 * Trades a refresh token for a new token pair of the same session, rotating it: every refresh token works once.
 * A token presented a second time — replayed, or raced by a concurrent refresh — means the family may be in two
 * hands, so the whole session is revoked (OAuth 2.0 Security BCP, refresh token reuse detection).
 */
export async function refreshSession(deps: ServiceDeps, { refreshToken }: TRefreshInput): Promise<TTokens> {
  const { db, tokens, config } = deps;
  const presented = await findRefreshToken(db, hashRefreshToken(refreshToken));
  if (!presented) throw invalidRefreshToken();
  const { session } = presented;
  if (presented.rotatedAt) {
    await revokeReusedSession(deps, session.id);
    throw invalidRefreshToken();
  }
  const now = new Date();
  if (session.revokedAt || session.expiresAt <= now || !session.user.isActive) throw invalidRefreshToken();

  const next = await db.transaction(async (tx) => {
    if (!(await claimRefreshToken(tx, presented.id, now))) return null;
    // The session must still be live when the rotation commits (logout, deactivation and password change revoke it).
    // Each rotation extends it: a refresh token lives refreshTokenTtlSeconds from its issue.
    const expiresAt = new Date(now.getTime() + config.refreshTokenTtlSeconds * 1000);
    if (!(await extendLiveSession(tx, session.id, { now, expiresAt }))) throw invalidRefreshToken();
    const token = newRefreshToken();
    await insertRefreshToken(tx, session.id, hashRefreshToken(token));
    return token;
  });
  if (next === null) {
    await revokeReusedSession(deps, session.id);
    throw invalidRefreshToken();
  }
  return {
    accessToken: tokens.signAccessToken({ userId: session.userId, sessionId: session.id }),
    refreshToken: next,
    expiresIn: tokens.accessTokenTtlSeconds,
  };
}

/** Revokes the session of a reused refresh token and records it; commits on its own, before the caller's 401. */
function revokeReusedSession(deps: Pick<ServiceDeps, 'db' | 'actor'>, sessionId: string): Promise<number> {
  return deps.db.transaction((tx) =>
    revokeSessionsAudited(deps, {
      tx,
      scope: { sessionId },
      reason: 'refresh token reuse',
      action: 'auth.refresh_reuse',
      auditAlways: true,
    }),
  );
}

import type { TTokens } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { hashRefreshToken, newRefreshToken, type TokenService } from '../../auth/tokens.ts';
import { type AuditActor, recordAudit } from '../audit.ts';
import { invalidRefreshToken } from './auth-errors.ts';

export interface RefreshSessionOptions {
  refreshToken: string;
  actor: AuditActor;
  tokens: TokenService;
  refreshTtlSeconds: number;
}

/**
 * Trades a refresh token for a new token pair of the same session, rotating it: every refresh token works once.
 * A token presented a second time — replayed, or raced by a concurrent refresh — means the family may be in two
 * hands, so the whole session is revoked (OAuth 2.0 Security BCP, refresh token reuse detection).
 */
export async function refreshSession(
  db: PrismaClient,
  { refreshToken, actor, tokens, refreshTtlSeconds }: RefreshSessionOptions,
): Promise<TTokens> {
  const presented = await db.refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(refreshToken) },
    select: {
      id: true,
      rotatedAt: true,
      session: { select: { id: true, userId: true, revokedAt: true, expiresAt: true, user: { select: { isActive: true } } } },
    },
  });
  if (!presented) throw invalidRefreshToken();
  const { session } = presented;
  if (presented.rotatedAt) {
    await revokeReusedSession(db, { sessionId: session.id, actor });
    throw invalidRefreshToken();
  }
  const now = new Date();
  if (session.revokedAt || session.expiresAt <= now || !session.user.isActive) throw invalidRefreshToken();

  const next = await db.$transaction(async (tx) => {
    // The conditional update is the guard: of two concurrent refreshes with one token, exactly one claims it.
    const claimed = await tx.refreshToken.updateMany({ where: { id: presented.id, rotatedAt: null }, data: { rotatedAt: now } });
    if (claimed.count === 0) return null;
    // The session must still be live when the rotation commits (logout, deactivation and password change revoke it).
    // Each rotation extends it: a refresh token lives refreshTtlSeconds from its issue.
    const extended = await tx.userSession.updateMany({
      where: { id: session.id, revokedAt: null, expiresAt: { gt: now } },
      data: { lastUsedAt: now, expiresAt: new Date(now.getTime() + refreshTtlSeconds * 1000) },
    });
    if (extended.count === 0) throw invalidRefreshToken();
    const token = newRefreshToken();
    await tx.refreshToken.create({ data: { sessionId: session.id, tokenHash: hashRefreshToken(token) }, select: { id: true } });
    return token;
  });
  if (next === null) {
    await revokeReusedSession(db, { sessionId: session.id, actor });
    throw invalidRefreshToken();
  }
  return {
    accessToken: tokens.signAccessToken({ userId: session.userId, sessionId: session.id }),
    refreshToken: next,
    expiresIn: tokens.accessTokenTtlSeconds,
  };
}

/** Revokes the session of a reused refresh token and records it; commits on its own, before the caller's 401. */
async function revokeReusedSession(db: PrismaClient, { sessionId, actor }: { sessionId: string; actor: AuditActor }): Promise<void> {
  await db.$transaction(async (tx) => {
    const revokedAt = new Date();
    const revoked = await tx.userSession.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt, revokedReason: 'refresh token reuse' },
    });
    await recordAudit(tx, actor, {
      action: 'auth.refresh_reuse',
      targetType: 'session',
      targetId: sessionId,
      changes: revoked.count > 0 ? { revokedAt: { from: null, to: revokedAt.toISOString() } } : {},
    });
  });
}

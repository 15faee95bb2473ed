import type { Prisma, PrismaClient } from '@ums/db';
import { type AccessClaims, hashRefreshToken, newRefreshToken } from '../auth/tokens.ts';

export type Tx = Prisma.TransactionClient;

export interface LiveSession {
  lastUsedAt: Date;
  roles: string[];
  permissions: string[];
}

/** The session behind an access token with the user's roles and permissions, if the session is live and the user active. */
export async function loadLiveSession(db: PrismaClient, { userId, sessionId }: AccessClaims): Promise<LiveSession | null> {
  const rows = await db.$queryRaw<LiveSession[]>`
    SELECT s.last_used_at AS "lastUsedAt",
           COALESCE(array_agg(DISTINCT r.name) FILTER (WHERE r.name IS NOT NULL), '{}') AS roles,
           COALESCE(array_agg(DISTINCT rp.permission) FILTER (WHERE rp.permission IS NOT NULL), '{}') AS permissions
      FROM sessions s
      JOIN users u ON u.id = s.user_id AND u.is_active
      LEFT JOIN user_roles ur ON ur.user_id = s.user_id
      LEFT JOIN roles r ON r.id = ur.role_id
      LEFT JOIN role_permissions rp ON rp.role_id = ur.role_id
     WHERE s.id = ${sessionId}::uuid AND s.user_id = ${userId}::uuid
       AND s.revoked_at IS NULL AND s.expires_at > now()
     GROUP BY s.id`;
  const row = rows[0];
  return row ? { ...row, lastUsedAt: new Date(row.lastUsedAt) } : null;
}

export async function touchSession(db: PrismaClient, sessionId: string): Promise<void> {
  await db.userSession.update({ where: { id: sessionId }, data: { lastUsedAt: new Date() }, select: { id: true } });
}

export interface NewSession {
  sessionId: string;
  refreshToken: string;
}

/** A sign-in: a session row and the first refresh token of its family. */
export async function createSession(
  tx: Tx,
  { userId, ip, userAgent, ttlSeconds }: { userId: string; ip: string | null; userAgent: string | null; ttlSeconds: number },
): Promise<NewSession> {
  const refreshToken = newRefreshToken();
  const session = await tx.userSession.create({
    data: {
      userId,
      ip,
      userAgent,
      expiresAt: new Date(Date.now() + ttlSeconds * 1000),
      refreshTokens: { create: { tokenHash: hashRefreshToken(refreshToken) } },
    },
    select: { id: true },
  });
  return { sessionId: session.id, refreshToken };
}

/** Ends sessions of a user (all, or all but one); returns how many were live. */
export async function revokeUserSessions(tx: Tx, userId: string, reason: string, exceptSessionId?: string): Promise<number> {
  const result = await tx.userSession.updateMany({
    where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return result.count;
}

import type { TUser } from '@ums/contract';
import { Prisma, type PrismaClient, type SqlClient } from '@ums/db';
import { type AccessClaims, hashRefreshToken, newRefreshToken } from '../auth/tokens.ts';
import { type RawUserRow, rawRowToUserView, rawUserColumns } from './user-view.ts';

export type Tx = Prisma.TransactionClient;

export interface LiveSession {
  lastUsedAt: Date;
  /** The signed-in user as the API shows them, read in the same query: `me.get` needs no other. */
  user: TUser;
  permissions: string[];
}

interface LiveSessionRow extends RawUserRow {
  sessionLastUsedAt: Date | string;
  permissions: string[];
}

/**
 * The session behind an access token, if it is live and its user active, with the user and their effective
 * permissions: one indexed round trip, made on every authenticated call.
 */
export async function loadLiveSession(sql: SqlClient, { userId, sessionId }: AccessClaims): Promise<LiveSession | null> {
  const rows = await sql.query<LiveSessionRow>(Prisma.sql`
    SELECT s.last_used_at AS "sessionLastUsedAt", ${rawUserColumns},
           ARRAY(SELECT DISTINCT rp.permission
                   FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                  WHERE ur.user_id = u.id) AS permissions
      FROM sessions s
      JOIN users u ON u.id = s.user_id AND u.is_active
     WHERE s.id = ${sessionId}::uuid AND s.revoked_at IS NULL AND s.expires_at > now()`);
  const row = rows[0];
  // The token's user must own the session. Checked here, not in the WHERE clause: given both ids there, the cached
  // generic plan looked the session up by user (every session of that user) instead of by its primary key.
  // Lower-cased as the ::uuid comparison did: PostgreSQL writes uuids in lower case, a token's sub may be either.
  if (!row || row.id !== userId.toLowerCase()) return null;
  return { lastUsedAt: new Date(row.sessionLastUsedAt), user: rawRowToUserView(row), permissions: row.permissions };
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

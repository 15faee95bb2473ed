import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';
import { hasSecondFactor, type UserRow, userProjection } from './users.ts';

export interface LiveSessionRow extends UserRow {
  sessionLastUsedAt: Date;
  /** The last time the session proved a factor: what "recent" (step-up) is judged on. */
  authenticatedAt: Date;
  /** A role of the user requires MFA and the user has no confirmed factor: only enrolment is allowed. */
  mfaEnrolmentRequired: boolean;
  /** The user's effective permissions: every permission of every role they hold. */
  permissions: string[];
  /** Set when the session was made by users.impersonate: the administrator acting as this user. */
  impersonatorId: string | null;
}

/**
 * The session if it is live and its user active, with the user and their permissions: one indexed round trip,
 * made on every signed-in request. Found by its primary key alone; the caller compares the owner (given both ids
 * here, the cached generic plan looked the session up by user instead).
 */
export async function findLiveSession(db: DbHandle, sessionId: string): Promise<LiveSessionRow | null> {
  const [row] = await db.query<LiveSessionRow>(Prisma.sql`
    SELECT s.last_used_at AS "sessionLastUsedAt", s.authenticated_at AS "authenticatedAt", s.impersonator_id AS "impersonatorId",
           ${userProjection},
           (EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.require_mfa)
            AND NOT ${hasSecondFactor}) AS "mfaEnrolmentRequired",
           ARRAY(SELECT DISTINCT rp.permission
                   FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                  WHERE ur.user_id = u.id) AS permissions
      FROM sessions s
      JOIN users u ON u.id = s.user_id AND u.is_active
     WHERE s.id = ${sessionId}::uuid AND s.revoked_at IS NULL AND s.expires_at > now()`);
  return row ?? null;
}

export async function touchSession(db: DbHandle, sessionId: string): Promise<void> {
  await db.execute(Prisma.sql`UPDATE sessions SET last_used_at = now() WHERE id = ${sessionId}::uuid`);
}

export interface NewSession {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  expiresAt: Date;
  /** The hash of the family's first refresh token. */
  refreshTokenHash: string;
  /** The factors the sign-in proved (password, totp, recovery_code…). */
  methods: string[];
}

/** A session row and the first refresh token of its family; returns the session's id. */
export async function insertSession(tx: DbHandle, { refreshTokenHash, ...session }: NewSession): Promise<string> {
  const created = await tx.prisma.userSession.create({
    data: { ...session, refreshTokens: { create: { tokenHash: refreshTokenHash } } },
    select: { id: true },
  });
  return created.id;
}

/** Which sessions: one (of its owner, when `userId` is given), or every one of a user but `exceptSessionId`. */
export type SessionScope = { sessionId: string; userId?: string } | { userId: string; exceptSessionId?: string };

/** Ends the live sessions in scope; returns how many were live. */
export async function revokeSessions(tx: DbHandle, scope: SessionScope, { reason, at }: { reason: string; at: Date }): Promise<number> {
  const where =
    'sessionId' in scope
      ? { id: scope.sessionId, ...(scope.userId ? { userId: scope.userId } : {}) }
      : { userId: scope.userId, ...(scope.exceptSessionId ? { id: { not: scope.exceptSessionId } } : {}) };
  const revoked = await tx.prisma.userSession.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: at, revokedReason: reason },
  });
  return revoked.count;
}

export async function sessionExists(db: DbHandle, { sessionId, userId }: { sessionId: string; userId: string }): Promise<boolean> {
  return (await db.prisma.userSession.findFirst({ where: { id: sessionId, userId }, select: { id: true } })) !== null;
}

export interface SessionRow {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  authenticatedAt: Date;
  methods: string[];
  ip: string | null;
  userAgent: string | null;
  impersonatorId: string | null;
}

/** The user's live sessions (not revoked, not expired), most recently used first. */
export async function selectLiveSessions(db: DbHandle, userId: string): Promise<SessionRow[]> {
  return db.prisma.userSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ lastUsedAt: 'desc' }, { id: 'asc' }],
    select: {
      id: true,
      createdAt: true,
      lastUsedAt: true,
      authenticatedAt: true,
      methods: true,
      ip: true,
      userAgent: true,
      impersonatorId: true,
    },
  });
}

/** A refresh token by its hash, with the session and user state a refresh is judged on. */
export async function findRefreshToken(db: DbHandle, tokenHash: string) {
  return db.prisma.refreshToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      rotatedAt: true,
      session: { select: { id: true, userId: true, revokedAt: true, expiresAt: true, user: { select: { isActive: true } } } },
    },
  });
}

/** Marks a refresh token used; the conditional update is the guard: of two concurrent claims, exactly one wins. */
export async function claimRefreshToken(tx: DbHandle, id: string, at: Date): Promise<boolean> {
  const claimed = await tx.prisma.refreshToken.updateMany({ where: { id, rotatedAt: null }, data: { rotatedAt: at } });
  return claimed.count === 1;
}

/** Extends a session that is still live at `now` until `expiresAt`; false when it has ended meanwhile. */
export async function extendLiveSession(
  tx: DbHandle,
  sessionId: string,
  { now, expiresAt }: { now: Date; expiresAt: Date },
): Promise<boolean> {
  const extended = await tx.prisma.userSession.updateMany({
    where: { id: sessionId, revokedAt: null, expiresAt: { gt: now } },
    data: { lastUsedAt: now, expiresAt },
  });
  return extended.count === 1;
}

export async function insertRefreshToken(tx: DbHandle, sessionId: string, tokenHash: string): Promise<void> {
  await tx.prisma.refreshToken.create({ data: { sessionId, tokenHash }, select: { id: true } });
}

import type { PrismaClient } from '@ums/db';
import { type AuditActor, type FieldChanges, recordAudit } from '../audit.ts';
import type { Tx } from '../sessions.ts';

const FIRST_LOCK_SECONDS = 60;
const MAX_LOCK_SECONDS = 3600;

/** How long the n-th lock in a row lasts: 1 min, doubling per consecutive lock, capped at 1 h. */
export function lockSeconds(lockouts: number): number {
  return Math.min(FIRST_LOCK_SECONDS * 2 ** Math.max(0, lockouts - 1), MAX_LOCK_SECONDS);
}

export interface LoginState {
  failedLogins: number;
  lockouts: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  updatedAt: Date;
  isActive: boolean;
  passwordHash: string;
}

type Timestamp = Date | string;
type LoginStateRow = Omit<LoginState, 'lockedUntil' | 'lastLoginAt' | 'updatedAt'> & {
  lockedUntil: Timestamp | null;
  lastLoginAt: Timestamp | null;
  updatedAt: Timestamp;
};

/**
 * What sign-in needs to know about one account, with its row locked for the rest of the transaction so concurrent
 * attempts count one by one. Raw SQL because Prisma has no SELECT … FOR UPDATE.
 */
export async function lockLoginState(tx: Tx, userId: string): Promise<LoginState | null> {
  const rows = await tx.$queryRaw<LoginStateRow[]>`
    SELECT failed_logins AS "failedLogins", lockouts, locked_until AS "lockedUntil", last_login_at AS "lastLoginAt",
           updated_at AS "updatedAt", is_active AS "isActive", password_hash AS "passwordHash"
      FROM users
     WHERE id = ${userId}::uuid
       FOR UPDATE`;
  const row = rows[0];
  if (!row) return null;
  return {
    ...row,
    lockedUntil: row.lockedUntil === null ? null : new Date(row.lockedUntil),
    lastLoginAt: row.lastLoginAt === null ? null : new Date(row.lastLoginAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/** The lock in force at `now`, if any. */
export const activeLock = (lockedUntil: Date | null, now: Date): Date | null =>
  lockedUntil !== null && lockedUntil > now ? lockedUntil : null;

/**
 * Counts one failed sign-in for a known account and locks it once `threshold` failures in a row are reached. Runs in
 * its own transaction and commits, together with its audit event, although the login itself answers 401.
 */
export async function recordFailedLogin(
  db: PrismaClient,
  { userId, actor, threshold }: { userId: string; actor: AuditActor; threshold: number },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const now = new Date();
    const counters = await lockLoginState(tx, userId);
    if (!counters) return;
    const changes: FieldChanges = {};
    // A concurrent attempt locked the account meanwhile: this one is recorded but does not count towards the next lock.
    if (!activeLock(counters.lockedUntil, now)) {
      const failedLogins = counters.failedLogins + 1;
      const next =
        failedLogins >= threshold
          ? {
              failedLogins: 0,
              lockouts: counters.lockouts + 1,
              lockedUntil: new Date(now.getTime() + lockSeconds(counters.lockouts + 1) * 1000),
            }
          : { failedLogins, lockouts: counters.lockouts, lockedUntil: counters.lockedUntil };
      // Sign-in bookkeeping is not a profile change: updatedAt keeps its value.
      await tx.user.update({ where: { id: userId }, data: { ...next, updatedAt: counters.updatedAt }, select: { id: true } });
      changes.failedLogins = { from: counters.failedLogins, to: next.failedLogins };
      if (next.lockouts !== counters.lockouts) {
        changes.lockouts = { from: counters.lockouts, to: next.lockouts };
        changes.lockedUntil = { from: counters.lockedUntil?.toISOString() ?? null, to: next.lockedUntil?.toISOString() ?? null };
      }
    }
    await recordAudit(tx, actor, { action: 'auth.login_failed', targetType: 'user', targetId: userId, changes });
  });
}

/** A sign-in refused while the account is locked, or for an unknown address: only the audit event is written. */
export async function recordRefusedLogin(db: PrismaClient, { userId, actor }: { userId: string | null; actor: AuditActor }): Promise<void> {
  await db.$transaction((tx) =>
    recordAudit(tx, actor, { action: 'auth.login_failed', ...(userId ? { targetType: 'user', targetId: userId } : {}) }),
  );
}

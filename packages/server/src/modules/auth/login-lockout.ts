import { lockUserRow, writeSignInCounters } from '@ums/db';
import { type FieldChanges, recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';

const FIRST_LOCK_SECONDS = 60;
const MAX_LOCK_SECONDS = 3600;

/** How long the n-th lock in a row lasts: 1 min, doubling per consecutive lock, capped at 1 h. */
export function lockSeconds(lockouts: number): number {
  return Math.min(FIRST_LOCK_SECONDS * 2 ** Math.max(0, lockouts - 1), MAX_LOCK_SECONDS);
}

/** The lock in force at `now`, if any. */
export const activeLock = (lockedUntil: Date | null, now: Date): Date | null =>
  lockedUntil !== null && lockedUntil > now ? lockedUntil : null;

/**
 * Counts one failed sign-in for a known account and locks it once the configured number of failures in a row is
 * reached. Runs in its own transaction and commits, together with its audit event, although the login answers 401.
 */
export async function recordFailedLogin(deps: Pick<ServiceDeps, 'db' | 'actor' | 'config'>, { userId }: { userId: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = new Date();
    const counters = await lockUserRow(tx, userId);
    if (!counters) return;
    const changes: FieldChanges = {};
    // A concurrent attempt locked the account meanwhile: this one is recorded but does not count towards the next lock.
    if (!activeLock(counters.lockedUntil, now)) {
      const failedLogins = counters.failedLogins + 1;
      const next =
        failedLogins >= deps.config.loginLockout
          ? {
              failedLogins: 0,
              lockouts: counters.lockouts + 1,
              lockedUntil: new Date(now.getTime() + lockSeconds(counters.lockouts + 1) * 1000),
            }
          : { failedLogins, lockouts: counters.lockouts, lockedUntil: counters.lockedUntil };
      await writeSignInCounters(tx, userId, next, counters.updatedAt);
      changes.failedLogins = { from: counters.failedLogins, to: next.failedLogins };
      if (next.lockouts !== counters.lockouts) {
        changes.lockouts = { from: counters.lockouts, to: next.lockouts };
        changes.lockedUntil = { from: counters.lockedUntil?.toISOString() ?? null, to: next.lockedUntil?.toISOString() ?? null };
      }
    }
    await recordAudit(tx, deps.actor, { action: 'auth.login_failed', targetType: 'user', targetId: userId, changes });
  });
}

/** A sign-in refused while the account is locked, or for an unknown address: only the audit event is written. */
export async function recordRefusedLogin(deps: Pick<ServiceDeps, 'db' | 'actor'>, { userId }: { userId: string | null }): Promise<void> {
  await deps.db.transaction((tx) =>
    recordAudit(tx, deps.actor, { action: 'auth.login_failed', ...(userId ? { targetType: 'user', targetId: userId } : {}) }),
  );
}

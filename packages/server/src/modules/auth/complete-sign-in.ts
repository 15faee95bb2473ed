import type { TAuthMethod, TLoginResult } from '@ums/contract';
import { type DbHandle, findUserById, type LockedUser, lockUserRow, writeSignInCounters } from '@ums/db';
import { type FieldChanges, recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { startSession } from '../sessions/start-session.ts';
import { accountLocked, invalidCredentials } from './auth-errors.ts';
import { activeLock } from './login-lockout.ts';

/** Locks the account's row and reads it again: it may have been deactivated or locked since it was first read. */
export async function lockSignInState(tx: DbHandle, userId: string, now: Date): Promise<LockedUser> {
  const state = await lockUserRow(tx, userId);
  if (!state?.isActive) throw invalidCredentials();
  const lock = activeLock(state.lockedUntil, now);
  if (lock) throw accountLocked(lock, now);
  return state;
}

/**
 * The end of every sign-in, inside its transaction, once every factor is proven: the counters reset, a session
 * that remembers how it was proven, its `auth.login` event, and the body `auth.login` answers.
 */
export async function completeSignIn(
  deps: ServiceDeps,
  tx: DbHandle,
  {
    userId,
    state,
    now,
    methods,
    upgradedHash,
  }: { userId: string; state: LockedUser; now: Date; methods: TAuthMethod[]; upgradedHash?: string | null },
): Promise<TLoginResult> {
  await writeSignInCounters(
    tx,
    userId,
    { lastLoginAt: now, failedLogins: 0, lockouts: 0, lockedUntil: null, ...(upgradedHash ? { passwordHash: upgradedHash } : {}) },
    state.updatedAt,
  );
  const self = { ...deps, actor: { ...deps.actor, actorId: userId } };
  const { sessionId, ...tokenPair } = await startSession(self, { tx, userId, methods });
  const changes: FieldChanges = {
    lastLoginAt: { from: state.lastLoginAt?.toISOString() ?? null, to: now.toISOString() },
    sessionId: { from: null, to: sessionId },
    methods: { from: null, to: methods },
  };
  // The hash was upgraded to the current parameters; recordAudit keeps only the fact, never a value.
  if (upgradedHash) changes.password = { from: null, to: null };
  await recordAudit(tx, self.actor, { action: 'auth.login', targetType: 'user', targetId: userId, changes });
  const user = await findUserById(tx, userId);
  if (!user) throw invalidCredentials();
  return { user, ...tokenPair, tokenType: 'Bearer' as const };
}

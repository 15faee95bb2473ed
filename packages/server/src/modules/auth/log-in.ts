import type { TLoginInput, TLoginResult } from '@ums/contract';
import { findSignInAccount, findUserById, lockUserRow, writeSignInCounters } from '@ums/db';
import { type FieldChanges, recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { startSession } from '../sessions/start-session.ts';
import { accountLocked, emailNotVerified, invalidCredentials } from './auth-errors.ts';
import { dummyPasswordHash } from './dummy-hash.ts';
import { activeLock, recordFailedLogin, recordRefusedLogin } from './login-lockout.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';

/**
 * Sign-in with email and password. Unknown address, wrong password and deactivated account answer the same 401
 * after the same amount of work (a password verification); a locked account answers 429 with the time left, even
 * for the right password. A hash made with older parameters is upgraded on the way. With REQUIRE_EMAIL_VERIFICATION,
 * an account whose address is not proven is refused (403 EMAIL_NOT_VERIFIED) once its password is right.
 */
export async function logIn(deps: ServiceDeps, { email, password }: TLoginInput): Promise<TLoginResult> {
  const account = await findSignInAccount(deps.db, email);
  const checkedAt = new Date();
  const lock = account && activeLock(account.lockedUntil, checkedAt);
  if (account && lock) {
    await recordRefusedLogin(deps, { userId: account.id });
    throw accountLocked(lock, checkedAt);
  }

  const usable = account?.isActive ? account : null;
  const passwordMatches = await verifyPassword(usable?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!usable || !passwordMatches) {
    if (account) await recordFailedLogin(deps, { userId: account.id });
    else await recordRefusedLogin(deps, { userId: null });
    throw invalidCredentials();
  }

  // Only after the password was checked, so the answer tells nothing to someone who does not know it.
  if (deps.config.requireEmailVerification && !usable.emailVerifiedAt) throw emailNotVerified();

  const upgradedHash = needsRehash(usable.passwordHash) ? await hashPassword(password) : null;
  return deps.db.transaction(async (tx) => {
    const now = new Date();
    // Re-read under the row lock: the account may have been deactivated, locked or given a new password meanwhile.
    const state = await lockUserRow(tx, usable.id);
    if (!state?.isActive) throw invalidCredentials();
    const lockNow = activeLock(state.lockedUntil, now);
    if (lockNow) throw accountLocked(lockNow, now);
    if (state.passwordHash !== usable.passwordHash && !(await verifyPassword(state.passwordHash, password))) throw invalidCredentials();

    await writeSignInCounters(
      tx,
      usable.id,
      { lastLoginAt: now, failedLogins: 0, lockouts: 0, lockedUntil: null, ...(upgradedHash ? { passwordHash: upgradedHash } : {}) },
      state.updatedAt,
    );
    const self = { ...deps, actor: { ...deps.actor, actorId: usable.id } };
    const { sessionId, ...tokenPair } = await startSession(self, { tx, userId: usable.id });
    const changes: FieldChanges = {
      lastLoginAt: { from: state.lastLoginAt?.toISOString() ?? null, to: now.toISOString() },
      sessionId: { from: null, to: sessionId },
    };
    // The hash was upgraded to the current parameters; recordAudit keeps only the fact, never a value.
    if (upgradedHash) changes.password = { from: null, to: null };
    await recordAudit(tx, self.actor, { action: 'auth.login', targetType: 'user', targetId: usable.id, changes });
    const user = await findUserById(tx, usable.id);
    if (!user) throw invalidCredentials();
    return { user, ...tokenPair, tokenType: 'Bearer' as const };
  });
}

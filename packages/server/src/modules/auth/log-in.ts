import type { TLoginInput, TLoginOutcome } from '@ums/contract';
import { findSignInAccount } from '@ums/db';
import { startMfaChallenge } from '../mfa/start-mfa-challenge.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { accountLocked, emailNotVerified, invalidCredentials } from './auth-errors.ts';
import { completeSignIn, lockSignInState } from './complete-sign-in.ts';
import { dummyPasswordHash } from './dummy-hash.ts';
import { activeLock, recordFailedLogin, recordRefusedLogin } from './login-lockout.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';

/**
 * Sign-in with email and password. Unknown address, wrong password and deactivated account answer the same 401
 * after the same amount of work (a password verification); a locked account answers 429 with the time left, even
 * for the right password. A hash made with older parameters is upgraded on the way. With REQUIRE_EMAIL_VERIFICATION,
 * an account whose address is not proven is refused (403 EMAIL_NOT_VERIFIED) once its password is right. An account
 * with a second factor gets the challenge of the second step (auth.mfa.verify) instead of a session.
 */
export async function logIn(deps: ServiceDeps, { email, password }: TLoginInput): Promise<TLoginOutcome> {
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
    const state = await lockSignInState(tx, usable.id, now);
    // The password may have been changed meanwhile.
    if (state.passwordHash !== usable.passwordHash && !(await verifyPassword(state.passwordHash, password))) throw invalidCredentials();
    // A second factor: only the first step is done. Nothing is reset and no session exists until it is answered.
    if (usable.totp?.confirmedAt) return startMfaChallenge(tx, usable.id);
    return completeSignIn(deps, tx, { userId: usable.id, state, now, methods: ['password'], upgradedHash });
  });
}

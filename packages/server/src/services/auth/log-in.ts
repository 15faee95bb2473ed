import type { TLoginInput, TLoginResult } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { hashPassword, needsRehash, verifyPassword } from '../../auth/passwords.ts';
import type { TokenService } from '../../auth/tokens.ts';
import { type AuditActor, type FieldChanges, recordAudit } from '../audit.ts';
import { toUserView, userSelect } from '../user-view.ts';
import { accountLocked, invalidCredentials } from './auth-errors.ts';
import { dummyPasswordHash } from './dummy-hash.ts';
import { activeLock, lockLoginState, recordFailedLogin, recordRefusedLogin } from './login-lockout.ts';
import { startSession } from './start-session.ts';

export interface LogInOptions extends TLoginInput {
  actor: AuditActor;
  tokens: TokenService;
  refreshTtlSeconds: number;
  /** Failed sign-ins in a row after which the account locks. */
  lockoutThreshold: number;
}

/**
 * Sign-in with email and password. Unknown address, wrong password and deactivated account answer the same 401
 * after the same amount of work (a password verification); a locked account answers 429 with the time left, even
 * for the right password. A hash made with older parameters is upgraded on the way.
 */
export async function logIn(
  db: PrismaClient,
  { email, password, actor, tokens, refreshTtlSeconds, lockoutThreshold }: LogInOptions,
): Promise<TLoginResult> {
  const account = await db.user.findUnique({
    where: { email },
    select: { id: true, isActive: true, passwordHash: true, lockedUntil: true },
  });
  const checkedAt = new Date();
  const lock = account && activeLock(account.lockedUntil, checkedAt);
  if (account && lock) {
    await recordRefusedLogin(db, { userId: account.id, actor });
    throw accountLocked(lock, checkedAt);
  }

  const usable = account?.isActive ? account : null;
  const passwordMatches = await verifyPassword(usable?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!usable || !passwordMatches) {
    if (account) await recordFailedLogin(db, { userId: account.id, actor, threshold: lockoutThreshold });
    else await recordRefusedLogin(db, { userId: null, actor });
    throw invalidCredentials();
  }

  const upgradedHash = needsRehash(usable.passwordHash) ? await hashPassword(password) : null;
  return db.$transaction(async (tx) => {
    const now = new Date();
    // Re-read under a row lock: the account may have been deactivated, locked or given a new password meanwhile.
    const state = await lockLoginState(tx, usable.id);
    if (!state?.isActive) throw invalidCredentials();
    const lockNow = activeLock(state.lockedUntil, now);
    if (lockNow) throw accountLocked(lockNow, now);
    if (state.passwordHash !== usable.passwordHash && !(await verifyPassword(state.passwordHash, password))) throw invalidCredentials();

    await tx.user.update({
      where: { id: usable.id },
      data: {
        lastLoginAt: now,
        failedLogins: 0,
        lockouts: 0,
        lockedUntil: null,
        ...(upgradedHash ? { passwordHash: upgradedHash } : {}),
        // Sign-in bookkeeping is not a profile change: updatedAt keeps its value.
        updatedAt: state.updatedAt,
      },
      select: { id: true },
    });
    const self = { ...actor, actorId: usable.id };
    const { sessionId, ...tokenPair } = await startSession(tx, { userId: usable.id, actor: self, tokens, refreshTtlSeconds });
    const changes: FieldChanges = {
      lastLoginAt: { from: state.lastLoginAt?.toISOString() ?? null, to: now.toISOString() },
      sessionId: { from: null, to: sessionId },
    };
    // The hash was upgraded to the current parameters; recordAudit keeps only the fact, never a value.
    if (upgradedHash) changes.password = { from: null, to: null };
    await recordAudit(tx, self, { action: 'auth.login', targetType: 'user', targetId: usable.id, changes });
    const user = await tx.user.findUniqueOrThrow({ where: { id: usable.id }, select: userSelect });
    return { user: toUserView(user), ...tokenPair, tokenType: 'Bearer' as const };
  });
}

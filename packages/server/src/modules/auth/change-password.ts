import type { TChangePasswordInput } from '@ums/contract';
import { findCredentials, replacePasswordHash, revokeSessions, voidAccountTokens } from '@ums/db';
import { fieldError } from '../../app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { passwordChangedMeanwhile, sessionEnded } from './auth-errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export interface PasswordChange extends TChangePasswordInput {
  userId: string;
  /** The session the change is made from: it stays signed in, every other session ends. */
  sessionId: string;
}

/**
 * A new password for the caller, who proves the current one. With the change: every other session is revoked,
 * every mailed link is voided, and a notice goes to the account's address.
 */
export async function changePassword(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { userId, sessionId, currentPassword, newPassword }: PasswordChange,
): Promise<void> {
  const account = await findCredentials(deps.db, userId);
  if (!account) throw sessionEnded();
  if (!(await verifyPassword(account.passwordHash, currentPassword))) throw fieldError(['currentPassword'], 'is not your current password');
  if (newPassword.trim().toLowerCase() === account.email) throw fieldError(['newPassword'], 'must not be the email address');
  if (newPassword === currentPassword) throw fieldError(['newPassword'], 'must differ from the current password');

  const passwordHash = await hashPassword(newPassword);
  await deps.db.transaction(async (tx) => {
    // Conditional on the hash just verified: two concurrent changes cannot both succeed on the same old password.
    if (!(await replacePasswordHash(tx, { id: userId, expectedHash: account.passwordHash, passwordHash }))) {
      throw passwordChangedMeanwhile();
    }
    // The other sessions end as part of this change, recorded in its own event.
    const revoked = await revokeSessions(tx, { userId, exceptSessionId: sessionId }, { reason: 'password changed', at: new Date() });
    await voidAccountTokens(tx, userId);
    await recordAudit(tx, deps.actor, {
      action: 'auth.password_changed',
      targetType: 'user',
      targetId: userId,
      // recordAudit keeps only the fact that the password changed, never a value.
      changes: { password: { from: null, to: null }, otherLiveSessions: { from: revoked, to: 0 } },
    });
    await enqueueMail(deps, tx, { template: 'password_changed', to: account.email });
  });
  deps.outbox.wake();
}

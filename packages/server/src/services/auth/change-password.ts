import type { TChangePasswordInput } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { hashPassword, verifyPassword } from '../../auth/passwords.ts';
import { AppError, fieldError } from '../../errors.ts';
import { type AuditActor, recordAudit } from '../audit.ts';
import { revokeUserSessions } from '../sessions.ts';
import { sessionEnded } from './auth-errors.ts';

export interface ChangePasswordOptions extends TChangePasswordInput {
  userId: string;
  /** The session the change is made from: it stays signed in, every other session ends. */
  sessionId: string;
  actor: AuditActor;
}

/** A new password for the caller, who proves the current one; every other session is revoked with the change. */
export async function changePassword(
  db: PrismaClient,
  { userId, sessionId, currentPassword, newPassword, actor }: ChangePasswordOptions,
): Promise<void> {
  const account = await db.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!account) throw sessionEnded();
  if (!(await verifyPassword(account.passwordHash, currentPassword))) throw fieldError(['currentPassword'], 'is not your current password');
  if (newPassword.trim().toLowerCase() === account.email) throw fieldError(['newPassword'], 'must not be the email address');
  if (newPassword === currentPassword) throw fieldError(['newPassword'], 'must differ from the current password');

  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    // Conditional on the hash just verified: two concurrent changes cannot both succeed on the same old password.
    const changed = await tx.user.updateMany({ where: { id: userId, passwordHash: account.passwordHash }, data: { passwordHash } });
    if (changed.count === 0) throw new AppError('CONFLICT', 'The password was changed meanwhile; sign in again and retry');
    const revoked = await revokeUserSessions(tx, userId, 'password changed', sessionId);
    await recordAudit(tx, actor, {
      action: 'auth.password_changed',
      targetType: 'user',
      targetId: userId,
      // recordAudit keeps only the fact that the password changed, never a value.
      changes: { password: { from: null, to: null }, otherLiveSessions: { from: revoked, to: 0 } },
    });
  });
}

import type { TResetPasswordInput } from '@ums/contract';
import {
  findCredentials,
  findRedeemableToken,
  lockUserRow,
  redeemAccountToken,
  revokeSessions,
  voidAccountTokens,
  writeResetPassword,
} from '@ums/db';
import { fieldError } from '../../app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { hashPassword } from '../auth/passwords.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { hashAccountToken, invalidToken } from './account-token.ts';

/**
 * `auth.resetPassword`: a new password from a reset link. Every session ends, every other mailed link is voided,
 * the login lockout is cleared, and a notice goes to the account's address — all in one transaction. A password
 * the rules refuse leaves the link usable.
 */
export async function resetPassword(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { token, newPassword }: TResetPasswordInput,
): Promise<void> {
  const tokenHash = hashAccountToken(token);
  const live = await findRedeemableToken(deps.db, 'password_reset', tokenHash);
  if (!live) throw invalidToken();
  const account = await findCredentials(deps.db, live.userId);
  if (!account) throw invalidToken();
  if (newPassword.trim().toLowerCase() === account.email) throw fieldError(['newPassword'], 'must not be the email address');

  const passwordHash = await hashPassword(newPassword);
  await deps.db.transaction(async (tx) => {
    // Redeemed here, atomically: of two concurrent resets with one link, one sets the password.
    const redeemed = await redeemAccountToken(tx, 'password_reset', tokenHash);
    if (!redeemed) throw invalidToken();
    const state = await lockUserRow(tx, redeemed.userId);
    if (!state?.isActive || state.email !== redeemed.email) throw invalidToken();
    await writeResetPassword(tx, redeemed.userId, passwordHash);
    const revoked = await revokeSessions(tx, { userId: redeemed.userId }, { reason: 'password reset', at: new Date() });
    await voidAccountTokens(tx, redeemed.userId);
    await recordAudit(
      tx,
      { ...deps.actor, actorId: redeemed.userId },
      {
        action: 'user.password_reset',
        targetType: 'user',
        targetId: redeemed.userId,
        // recordAudit keeps only the fact that the password changed, never a value.
        changes: { password: { from: null, to: null }, liveSessions: { from: revoked, to: 0 } },
      },
    );
    await enqueueMail(deps, tx, { template: 'password_reset_done', to: state.email, params: { name: state.fullName } });
  });
  deps.outbox.wake();
}

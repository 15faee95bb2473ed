import type { TAccepted, TChangeEmailInput } from '@ums/contract';
import { findCredentials, findUserIdByEmail, lockUserRow } from '@ums/db';
import { fieldError } from '../../app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionEnded } from '../auth/auth-errors.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { enqueueMail, hasMailBudget } from '../mail/enqueue-mail.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { emailTaken } from '../users/user-errors.ts';
import { ACCEPTED } from './accepted.ts';
import { issueAccountToken } from './account-token.ts';

/**
 * `me.email.change`: nothing changes yet. A confirmation link goes to the new address and a notice to the current
 * one; the change happens when the link is followed (confirm-email-change.ts).
 */
export async function requestEmailChange(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { userId, newEmail, currentPassword }: TChangeEmailInput & { userId: string },
): Promise<TAccepted> {
  const account = await findCredentials(deps.db, userId);
  if (!account) throw sessionEnded();
  if (!(await verifyPassword(account.passwordHash, currentPassword))) throw fieldError(['currentPassword'], 'is not your current password');
  if (newEmail === account.email) throw fieldError(['newEmail'], 'is already your email address');
  if (await findUserIdByEmail(deps.db, newEmail)) throw emailTaken();

  const sent = await deps.db.transaction(async (tx) => {
    const state = await lockUserRow(tx, userId);
    if (!state?.isActive) throw sessionEnded();
    if (!(await hasMailBudget(tx, newEmail))) return false;
    const token = await issueAccountToken(tx, { userId, purpose: 'email_change', email: newEmail });
    const name = state.fullName;
    await enqueueMail(deps, tx, { template: 'confirm_email_change', to: newEmail, params: { name }, token, budgeted: true });
    await enqueueMail(deps, tx, { template: 'email_change_requested', to: state.email, params: { name, newEmail } });
    await recordAudit(tx, deps.actor, {
      action: 'user.email_change_requested',
      targetType: 'user',
      targetId: userId,
      changes: { email: { from: state.email, to: newEmail } },
    });
    return true;
  });
  if (sent) deps.outbox.wake();
  return ACCEPTED;
}

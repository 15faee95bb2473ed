import type { TAccepted, TEmailLinkRequestInput } from '@ums/contract';
import { findMailRecipient, lockUserRow } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { enqueueMail, hasMailBudget } from '../mail/enqueue-mail.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { ACCEPTED } from './accepted.ts';
import { issueAccountToken } from './account-token.ts';

/**
 * `auth.requestPasswordReset`: the same 202 for every address, answered before the address is looked up; the
 * lookup, the token and the mail happen after, so the time taken cannot tell whether the account exists.
 */
export function requestPasswordReset(deps: ServiceDeps, { email }: TEmailLinkRequestInput): TAccepted {
  deps.background.run('password reset request', () => mailPasswordResetLink(deps, email));
  return ACCEPTED;
}

/** A reset link to an active account, within the address's mail budget. */
async function mailPasswordResetLink(deps: ServiceDeps, email: string): Promise<void> {
  const account = await findMailRecipient(deps.db, email);
  if (!account?.isActive) return;
  const sent = await deps.db.transaction(async (tx) => {
    const state = await lockUserRow(tx, account.id);
    if (!state?.isActive || state.email !== email) return false;
    if (!(await hasMailBudget(tx, email))) return false;
    const token = await issueAccountToken(tx, { userId: account.id, purpose: 'password_reset', email });
    await enqueueMail(deps, tx, { template: 'password_reset', to: email, params: { name: state.fullName }, token, budgeted: true });
    await recordAudit(tx, deps.actor, { action: 'user.password_reset_requested', targetType: 'user', targetId: account.id });
    return true;
  });
  if (sent) deps.outbox.wake();
}

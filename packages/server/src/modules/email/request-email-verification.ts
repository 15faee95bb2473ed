import type { TAccepted, TEmailLinkRequestInput } from '@ums/contract';
import { findMailRecipient, lockUserRow } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { hasMailBudget } from '../mail/enqueue-mail.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { ACCEPTED } from './accepted.ts';
import { sendVerificationLink } from './send-verification-link.ts';

/**
 * `auth.requestEmailVerification`: the answer is decided before anything is looked up, and the lookup runs after
 * it, so neither the body nor the time tells a known address from an unknown one.
 */
export function requestEmailVerification(deps: ServiceDeps, { email }: TEmailLinkRequestInput): TAccepted {
  deps.background.run('email verification request', () => mailVerificationLink(deps, email));
  return ACCEPTED;
}

/** A link to an active account whose address is not proven yet, within the address's mail budget. */
async function mailVerificationLink(deps: ServiceDeps, email: string): Promise<void> {
  const account = await findMailRecipient(deps.db, email);
  if (!account?.isActive || account.emailVerifiedAt) return;
  const sent = await deps.db.transaction(async (tx) => {
    // Under the row lock: the account's state and its mail budget cannot move until this commits.
    const state = await lockUserRow(tx, account.id);
    if (!state?.isActive || state.emailVerifiedAt || state.email !== email) return false;
    if (!(await hasMailBudget(tx, email))) return false;
    await sendVerificationLink(deps, tx, { userId: account.id, email, name: state.fullName, budgeted: true });
    await recordAudit(tx, deps.actor, { action: 'user.email_verification_requested', targetType: 'user', targetId: account.id });
    return true;
  });
  if (sent) deps.outbox.wake();
}

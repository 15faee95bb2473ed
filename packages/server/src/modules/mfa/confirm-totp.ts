import type { TRecoveryCodes } from '@ums/contract';
import { confirmTotpFactor, findTotpFactor, lockUserRow } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionEnded } from '../auth/auth-errors.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { issueRecoveryCodes } from './issue-recovery-codes.ts';
import { noTotpSetup, totpAlreadyEnabled, wrongCodeField } from './mfa-errors.ts';
import { enqueueMfaNotice } from './mfa-notice.ts';
import { proveTotpCode } from './prove-factor.ts';

/**
 * Turns TOTP on with a first code from the app just set up: the factor counts from now (its step used), ten
 * recovery codes are made and shown this once, the event and the notice commit with it.
 */
export async function confirmTotp(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { userId, code }: { userId: string; code: string },
): Promise<TRecoveryCodes> {
  const recoveryCodes = await deps.db.transaction(async (tx) => {
    if (!(await lockUserRow(tx, userId))) throw sessionEnded();
    const factor = await findTotpFactor(tx, userId);
    if (!factor) throw noTotpSetup();
    if (factor.confirmedAt) throw totpAlreadyEnabled();
    if (!(await proveTotpCode(deps, tx, { userId, code, pending: true }))) throw wrongCodeField('code');
    const now = new Date();
    await confirmTotpFactor(tx, userId, now);
    const codes = await issueRecoveryCodes(tx, userId);
    await recordAudit(tx, deps.actor, {
      action: 'mfa.totp_enabled',
      targetType: 'user',
      targetId: userId,
      changes: { totp: { from: false, to: true }, recoveryCodesLeft: { from: null, to: codes.length } },
    });
    await enqueueMfaNotice(deps, tx, userId, 'mfa_enabled');
    return codes;
  });
  deps.outbox.wake();
  return { recoveryCodes };
}

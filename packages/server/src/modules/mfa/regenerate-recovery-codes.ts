import type { TRecoveryCodes } from '@ums/contract';
import { countRecoveryCodesLeft, findTotpFactor, lockUserRow } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionEnded } from '../auth/auth-errors.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { issueRecoveryCodes } from './issue-recovery-codes.ts';
import { totpNotEnabled } from './mfa-errors.ts';
import { enqueueMfaNotice } from './mfa-notice.ts';

/** Ten new recovery codes, shown this once; the old ones stop working. Only with MFA on (409 otherwise). */
export async function regenerateRecoveryCodes(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { userId }: { userId: string },
): Promise<TRecoveryCodes> {
  const recoveryCodes = await deps.db.transaction(async (tx) => {
    if (!(await lockUserRow(tx, userId))) throw sessionEnded();
    if (!(await findTotpFactor(tx, userId))?.confirmedAt) throw totpNotEnabled();
    const before = await countRecoveryCodesLeft(tx, userId);
    const codes = await issueRecoveryCodes(tx, userId);
    await recordAudit(tx, deps.actor, {
      action: 'mfa.recovery_codes_regenerated',
      targetType: 'user',
      targetId: userId,
      changes: { recoveryCodesLeft: { from: before, to: codes.length } },
    });
    await enqueueMfaNotice(deps, tx, userId, 'recovery_codes_regenerated');
    return codes;
  });
  deps.outbox.wake();
  return { recoveryCodes };
}

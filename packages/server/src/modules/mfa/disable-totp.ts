import { deleteMfaFactors, findTotpFactor, holdsRoleRequiringMfa, lockUserRow, revokeSessions } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionEnded } from '../auth/auth-errors.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { mfaRequiredByRole, totpNotEnabled, wrongCodeField } from './mfa-errors.ts';
import { enqueueMfaNotice } from './mfa-notice.ts';
import { proofOfCode, proveSecondFactor } from './prove-factor.ts';

/**
 * Turns TOTP off, proven by a current code or a recovery code (not by the session alone: a hijacked session must
 * not be able to remove the factor). Every other session of the caller ends. Refused while a role requires MFA and
 * no other factor remains.
 */
export async function disableTotp(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { userId, sessionId, code }: { userId: string; sessionId: string; code: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await lockUserRow(tx, userId))) throw sessionEnded();
    const factor = await findTotpFactor(tx, userId);
    if (!factor?.confirmedAt) throw totpNotEnabled();
    // Passkeys (issue 20) are the other factor that may remain; until then TOTP is the only one.
    if (await holdsRoleRequiringMfa(tx, userId)) throw mfaRequiredByRole();
    if (!(await proveSecondFactor(deps, tx, userId, proofOfCode(code)))) throw wrongCodeField('code');
    const removed = await deleteMfaFactors(tx, userId);
    const revoked = await revokeSessions(tx, { userId, exceptSessionId: sessionId }, { reason: 'mfa disabled', at: new Date() });
    await recordAudit(tx, deps.actor, {
      action: 'mfa.totp_disabled',
      targetType: 'user',
      targetId: userId,
      changes: {
        totp: { from: true, to: false },
        recoveryCodesLeft: { from: removed.recoveryCodes, to: 0 },
        otherLiveSessions: { from: revoked, to: 0 },
      },
    });
    await enqueueMfaNotice(deps, tx, userId, 'mfa_disabled');
  });
  deps.outbox.wake();
}

import { deleteMfaFactors, lockUserRow, revokeSessions } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { userNotFound } from '../users/user-errors.ts';
import { enqueueMfaNotice } from './mfa-notice.ts';

/**
 * An administrator removes every factor and recovery code of a user (who lost their device) and ends every
 * session of theirs; the user signs in with the password alone and, if a role requires it, enrols again.
 */
export async function resetMfa(deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>, { id }: { id: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await lockUserRow(tx, id))) throw userNotFound();
    const removed = await deleteMfaFactors(tx, id);
    const revoked = await revokeSessions(tx, { userId: id }, { reason: 'mfa reset', at: new Date() });
    await recordAudit(tx, deps.actor, {
      action: 'mfa.reset',
      targetType: 'user',
      targetId: id,
      changes: {
        totp: { from: removed.totpWasConfirmed, to: false },
        recoveryCodesLeft: { from: removed.recoveryCodes, to: 0 },
        liveSessions: { from: revoked, to: 0 },
      },
    });
    await enqueueMfaNotice(deps, tx, id, 'mfa_reset');
  });
  deps.outbox.wake();
}

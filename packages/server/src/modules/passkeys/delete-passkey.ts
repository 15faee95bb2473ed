import { countPasskeys, deletePasskey as deletePasskeyRow, findTotpFactor, holdsRoleRequiringMfa, lockUserRow } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionEnded } from '../auth/auth-errors.ts';
import { mfaRequiredByRole } from '../mfa/mfa-errors.ts';
import { enqueueMfaNotice } from '../mfa/mfa-notice.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { passkeyNotFound } from './passkey-errors.ts';

/**
 * Removes one of the caller's passkeys (another user's is a 404). Refused (409) when it is the last factor and a role
 * requires one; under the user's row lock, so two deletes at once cannot both remove "another" factor.
 */
export async function deletePasskey(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { userId, id }: { userId: string; id: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await lockUserRow(tx, userId))) throw sessionEnded();
    const removed = await deletePasskeyRow(tx, { userId, id });
    if (!removed) throw passkeyNotFound();
    const otherFactorLeft = (await countPasskeys(tx, userId)) > 0 || Boolean((await findTotpFactor(tx, userId))?.confirmedAt);
    // Thrown after the delete, so the transaction rolls it back.
    if (!otherFactorLeft && (await holdsRoleRequiringMfa(tx, userId))) throw mfaRequiredByRole();
    await recordAudit(tx, deps.actor, {
      action: 'passkey.removed',
      targetType: 'user',
      targetId: userId,
      changes: { passkey: { from: { id, name: removed.name }, to: null } },
    });
    await enqueueMfaNotice(deps, tx, userId, 'passkey_removed');
  });
  deps.outbox.wake();
}

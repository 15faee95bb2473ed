import type { TUser } from '@ums/contract';
import { lockAdminRole, revokeSessions, writeActivation } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { assertActiveAdminRemains } from './admin-guard.ts';
import { getUser } from './get-user.ts';
import { lockUser } from './lock-user.ts';
import { selfDeactivation } from './user-errors.ts';

export interface DeactivateUser {
  id: string;
  reason?: string | undefined;
  /** The caller: nobody may deactivate themselves (they would lock themselves out mid-request). */
  callerId: string;
}

/**
 * Soft deactivation: the row stays, with who, when and why; every session ends in the same transaction, so
 * the user's next request is refused. Deactivating an inactive user changes nothing (no new event).
 */
export async function deactivateUser(deps: Pick<ServiceDeps, 'db' | 'actor'>, { id, reason, callerId }: DeactivateUser): Promise<TUser> {
  // Compared lower-cased: a UUID in capitals names the same row.
  if (id.toLowerCase() === callerId.toLowerCase()) throw selfDeactivation();
  const deactivationReason = reason ? reason : null;
  return deps.db.transaction(async (tx) => {
    await lockAdminRole(tx);
    const { isActive } = await lockUser(tx, { id });
    if (!isActive) return getUser({ db: tx }, { id });

    const deactivatedAt = new Date();
    await writeActivation(tx, id, { isActive: false, deactivatedAt, deactivatedBy: callerId, deactivationReason });
    // The sessions end as part of the deactivation, recorded in its own event.
    await revokeSessions(tx, { userId: id }, { reason: 'user deactivated', at: deactivatedAt });
    await assertActiveAdminRemains(tx);
    await recordAudit(tx, deps.actor, {
      action: 'user.deactivated',
      targetType: 'user',
      targetId: id,
      changes: {
        isActive: { from: true, to: false },
        deactivatedAt: { from: null, to: deactivatedAt.toISOString() },
        deactivationReason: { from: null, to: deactivationReason },
      },
    });
    return getUser({ db: tx }, { id });
  });
}

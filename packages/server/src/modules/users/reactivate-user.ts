import type { TUser } from '@ums/contract';
import { findActivation, writeActivation } from '@ums/db';
import { diffFields, recordAudit } from '../audit/record-audit.ts';
import { assertNotErased } from '../erasure/assert-not-erased.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { getUser } from './get-user.ts';
import { lockUser } from './lock-user.ts';
import { userNotFound } from './user-errors.ts';

/**
 * Lets a deactivated user sign in again (their old sessions stay revoked). The deactivation columns are
 * cleared; the audit trail keeps who deactivated them and why. Reactivating an active user changes nothing.
 */
export async function reactivateUser(deps: Pick<ServiceDeps, 'db' | 'actor'>, { id }: { id: string }): Promise<TUser> {
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, { id });
    const before = await findActivation(tx, id);
    if (!before) throw userNotFound();
    if (before.isActive) return getUser({ db: tx }, { id });
    await assertNotErased(tx, id);

    const after = { isActive: true, deactivatedAt: null, deactivatedBy: null, deactivationReason: null };
    await writeActivation(tx, id, after);
    await recordAudit(tx, deps.actor, {
      action: 'user.reactivated',
      targetType: 'user',
      targetId: id,
      changes: diffFields<typeof before>(before, after, ['isActive', 'deactivatedAt', 'deactivatedBy', 'deactivationReason']),
    });
    return getUser({ db: tx }, { id });
  });
}

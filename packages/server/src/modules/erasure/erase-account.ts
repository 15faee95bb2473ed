import { type DbHandle, erasePersonalData, lockAdminRole, lockErasureState } from '@ums/db';
import { type AuditActor, type FieldChanges, recordAudit } from '../audit/record-audit.ts';
import { userNotFound } from '../users/user-errors.ts';
import { keepingAnActiveAdmin } from './keeps-an-admin.ts';

/**
 * Erases one account in the caller's transaction: every stored copy of the person's data goes (erasure-queries),
 * the account keeps its id, stays deactivated for good, and `user.erased` is recorded (a webhook event, whose data
 * is the account as erased). Refused (409) when it would leave no active admin. Erasing an erased account changes
 * nothing and records nothing. Returns whether it erased.
 */
export async function eraseAccount(tx: DbHandle, actor: AuditActor, { id }: { id: string }): Promise<boolean> {
  await lockAdminRole(tx);
  const state = await lockErasureState(tx, id);
  if (!state) throw userNotFound();
  if (state.erasedAt) return false;

  const at = new Date();
  await keepingAnActiveAdmin(tx, () => erasePersonalData(tx, { id, at, by: actor.actorId }));
  const changes: FieldChanges = { erasedAt: { from: null, to: at.toISOString() } };
  if (state.isActive) changes.isActive = { from: true, to: false };
  await recordAudit(tx, actor, { action: 'user.erased', targetType: 'user', targetId: id, changes });
  return true;
}

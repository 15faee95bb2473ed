import type { TAccountDeletion, TDeleteMeInput } from '@ums/contract';
import { findCredentials, lockAdminRole, revokeSessions, scheduleErasure, writeActivation } from '@ums/db';
import { fieldError } from '../../app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionEnded } from '../auth/auth-errors.ts';
import { verifyPassword } from '../auth/passwords.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { lockUser } from '../users/lock-user.ts';
import { keepingAnActiveAdmin } from './keeps-an-admin.ts';

const DAY_MS = 86_400_000;

/**
 * `me.delete`: deactivates the caller's account now (every session ends) and schedules its erasure for when the
 * grace period ends, in one transaction: the erasure is an outbox message, so exactly one instance runs it. A
 * reactivation during the grace period cancels it (the job then finds another deactivation, or none, and does
 * nothing). Refused (409) for the last active admin.
 */
export async function requestAccountDeletion(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'config'>,
  { userId, currentPassword }: TDeleteMeInput & { userId: string },
): Promise<TAccountDeletion> {
  const account = await findCredentials(deps.db, userId);
  if (!account) throw sessionEnded();
  if (!(await verifyPassword(account.passwordHash, currentPassword))) throw fieldError(['currentPassword'], 'is not your current password');

  return deps.db.transaction(async (tx) => {
    await lockAdminRole(tx);
    const { isActive } = await lockUser(tx, { id: userId });
    if (!isActive) throw sessionEnded();
    const deactivatedAt = new Date();
    const erasureScheduledAt = new Date(deactivatedAt.getTime() + deps.config.erasureGraceDays * DAY_MS);
    await keepingAnActiveAdmin(tx, () =>
      writeActivation(tx, userId, { isActive: false, deactivatedAt, deactivatedBy: userId, deactivationReason: null }),
    );
    await revokeSessions(tx, { userId }, { reason: 'account deletion requested', at: deactivatedAt });
    await scheduleErasure(tx, { userId, deactivatedAt: deactivatedAt.toISOString() }, erasureScheduledAt);
    await recordAudit(tx, deps.actor, {
      action: 'user.deletion_requested',
      targetType: 'user',
      targetId: userId,
      changes: {
        isActive: { from: true, to: false },
        deactivatedAt: { from: null, to: deactivatedAt.toISOString() },
        erasureScheduledAt: { from: null, to: erasureScheduledAt.toISOString() },
      },
    });
    return { deactivatedAt: deactivatedAt.toISOString(), erasureScheduledAt: erasureScheduledAt.toISOString() };
  });
}

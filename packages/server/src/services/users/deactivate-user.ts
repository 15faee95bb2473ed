import type { TUser } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import { assertActiveAdminRemains, lockAdminRole } from '../admin-guard.ts';
import { type AuditActor, recordAudit } from '../audit.ts';
import { revokeUserSessions } from '../sessions.ts';
import { getUser } from './get-user.ts';
import { lockUserVersion } from './user-lock.ts';

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
export async function deactivateUser(db: PrismaClient, actor: AuditActor, { id, reason, callerId }: DeactivateUser): Promise<TUser> {
  if (id === callerId) throw new AppError('CONFLICT', 'You cannot deactivate your own account');
  const deactivationReason = reason ? reason : null;
  return db.$transaction(async (tx) => {
    await lockAdminRole(tx);
    await lockUserVersion(tx, id);
    const before = await tx.user.findUniqueOrThrow({ where: { id }, select: { isActive: true } });
    if (!before.isActive) return getUser(tx, { id });

    const deactivatedAt = new Date();
    await tx.user.update({
      where: { id },
      data: { isActive: false, deactivatedAt, deactivatedBy: callerId, deactivationReason, version: { increment: 1 } },
      select: { id: true },
    });
    await revokeUserSessions(tx, id, 'user deactivated');
    await assertActiveAdminRemains(tx);
    await recordAudit(tx, actor, {
      action: 'user.deactivated',
      targetType: 'user',
      targetId: id,
      changes: {
        isActive: { from: true, to: false },
        deactivatedAt: { from: null, to: deactivatedAt.toISOString() },
        deactivationReason: { from: null, to: deactivationReason },
      },
    });
    return getUser(tx, { id });
  });
}

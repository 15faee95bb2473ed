import type { TUser } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { type AuditActor, diffFields, recordAudit } from '../audit.ts';
import { getUser } from './get-user.ts';
import { lockUserVersion } from './user-lock.ts';

/**
 * Lets a deactivated user sign in again (their old sessions stay revoked). The deactivation columns are
 * cleared; the audit trail keeps who deactivated them and why. Reactivating an active user changes nothing.
 */
export async function reactivateUser(db: PrismaClient, actor: AuditActor, { id }: { id: string }): Promise<TUser> {
  return db.$transaction(async (tx) => {
    await lockUserVersion(tx, id);
    const before = await tx.user.findUniqueOrThrow({
      where: { id },
      select: { isActive: true, deactivatedAt: true, deactivatedBy: true, deactivationReason: true },
    });
    if (before.isActive) return getUser(tx, { id });

    const after = { isActive: true, deactivatedAt: null, deactivatedBy: null, deactivationReason: null };
    await tx.user.update({ where: { id }, data: { ...after, version: { increment: 1 } }, select: { id: true } });
    await recordAudit(tx, actor, {
      action: 'user.reactivated',
      targetType: 'user',
      targetId: id,
      changes: diffFields<typeof before>(before, after, ['isActive', 'deactivatedAt', 'deactivatedBy', 'deactivationReason']),
    });
    return getUser(tx, { id });
  });
}

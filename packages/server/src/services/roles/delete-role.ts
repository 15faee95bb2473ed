import type { PrismaClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import { type AuditActor, recordAudit } from '../audit.ts';
import { findRoleForUpdate } from './find-role-for-update.ts';
import { roleNotFound } from './role-errors.ts';
import { permissionsOf } from './role-view.ts';

/**
 * Deletes a custom role. Users who held it simply stop holding it (from their next request); the audit event
 * records how many users that was.
 */
export async function deleteRole(db: PrismaClient, { actor, name }: { actor: AuditActor; name: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const role = await findRoleForUpdate(tx, name);
    if (!role) throw roleNotFound(name);
    if (role.builtIn) throw new AppError('CONFLICT', `The built-in "${role.name}" role cannot be deleted`);

    const assignedUsers = await tx.userRole.count({ where: { roleId: role.id } });
    // Its user_roles and role_permissions rows go with it (ON DELETE CASCADE).
    await tx.role.delete({ where: { id: role.id }, select: { id: true } });
    await recordAudit(tx, actor, {
      action: 'role.deleted',
      targetType: 'role',
      targetId: role.name,
      changes: {
        name: { from: role.name, to: null },
        description: { from: role.description, to: null },
        permissions: { from: permissionsOf(role), to: null },
        assignedUsers: { from: assignedUsers, to: 0 },
      },
    });
  });
}

import { countRoleHolders, deleteRoleRow, lockRoleByName } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { builtInRoleUndeletable, roleNotFound } from './role-errors.ts';
import { permissionsOf } from './role-view.ts';

/**
 * Deletes a custom role. Users who held it simply stop holding it (from their next request); the audit event
 * records how many users that was.
 */
export async function deleteRole(deps: Pick<ServiceDeps, 'db' | 'actor'>, { name }: { name: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const role = await lockRoleByName(tx, name);
    if (!role) throw roleNotFound(name);
    if (role.builtIn) throw builtInRoleUndeletable(role.name);

    const assignedUsers = await countRoleHolders(tx, role.id);
    // Audited first: the role.deleted webhook event shows the role as it was.
    await recordAudit(tx, deps.actor, {
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
    await deleteRoleRow(tx, role.id);
  });
}

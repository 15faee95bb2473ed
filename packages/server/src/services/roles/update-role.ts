import { ADMIN_ROLE, type Permission, permissionNames, type TRole } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import { type AuditActor, diffFields, recordAudit } from '../audit.ts';
import { findRoleForUpdate } from './find-role-for-update.ts';
import { assertMayGrant } from './grant-guard.ts';
import { roleNotFound } from './role-errors.ts';
import { permissionsOf, roleSelect, toRoleView } from './role-view.ts';

export interface UpdateRoleOptions {
  actor: AuditActor;
  callerPermissions: ReadonlySet<Permission>;
  name: string;
  /** Omitted: unchanged. */
  description?: string | undefined;
  /** Omitted: unchanged; given: the role's complete new set. */
  permissions?: readonly Permission[] | undefined;
}

type Editable = { description: string; permissions: Permission[] };

/** Edits a role; its holders are judged on the new permissions from their very next request. */
export async function updateRole(
  db: PrismaClient,
  { actor, callerPermissions, name, description, permissions }: UpdateRoleOptions,
): Promise<TRole> {
  return db.$transaction(async (tx) => {
    const role = await findRoleForUpdate(tx, name);
    if (!role) throw roleNotFound(name);

    const before: Editable = { description: role.description, permissions: permissionsOf(role) };
    const after: Partial<Editable> = {};
    if (description !== undefined) after.description = description;
    if (permissions !== undefined) after.permissions = [...new Set(permissions)].sort();

    if (after.permissions) {
      if (role.name === ADMIN_ROLE && !holdsEveryPermission(after.permissions)) {
        throw new AppError(
          'CONFLICT',
          `The permissions of the built-in "${ADMIN_ROLE}" role cannot be changed: it always holds every permission`,
        );
      }
      assertMayGrant(
        callerPermissions,
        after.permissions.filter((permission) => !before.permissions.includes(permission)),
      );
    }

    const changes = diffFields(before, after, ['description', 'permissions']);
    if (Object.keys(changes).length === 0) return toRoleView(role);

    if (after.permissions && changes.permissions) {
      await tx.rolePermission.deleteMany({ where: { roleId: role.id, permission: { notIn: after.permissions } } });
      await tx.rolePermission.createMany({
        data: after.permissions.map((permission) => ({ roleId: role.id, permission })),
        skipDuplicates: true,
      });
    }
    const updated = await tx.role.update({
      where: { id: role.id },
      data: { description: after.description ?? role.description },
      select: roleSelect,
    });
    await recordAudit(tx, actor, { action: 'role.updated', targetType: 'role', targetId: role.name, changes });
    return toRoleView(updated);
  });
}

const holdsEveryPermission = (granted: readonly Permission[]) => permissionNames.every((permission) => granted.includes(permission));

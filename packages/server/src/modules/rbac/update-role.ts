import { ADMIN_ROLE, type Permission, permissionNames, type TRole } from '@ums/contract';
import { lockRoleByName, updateRoleRow } from '@ums/db';
import { diffFields, recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { assertMayGrant } from './grant-guard.ts';
import { adminRolePermissionsFixed, roleNotFound } from './role-errors.ts';
import { permissionsOf, toRoleView } from './role-view.ts';

export interface RoleChange {
  callerPermissions: ReadonlySet<Permission>;
  name: string;
  /** Omitted: unchanged. */
  description?: string | undefined;
  /** Omitted: unchanged; given: the role's complete new set. */
  permissions?: readonly Permission[] | undefined;
  /** Omitted: unchanged. On: holders without a factor may only enrol, from their next request. */
  requireMfa?: boolean | undefined;
}

type Editable = { description: string; permissions: Permission[]; requireMfa: boolean };

/** Edits a role; its holders are judged on the new permissions from their very next request. */
export async function updateRole(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { callerPermissions, name, description, permissions, requireMfa }: RoleChange,
): Promise<TRole> {
  return deps.db.transaction(async (tx) => {
    const role = await lockRoleByName(tx, name);
    if (!role) throw roleNotFound(name);

    const before: Editable = { description: role.description, permissions: permissionsOf(role), requireMfa: role.requireMfa };
    const after: Partial<Editable> = {};
    if (description !== undefined) after.description = description;
    if (permissions !== undefined) after.permissions = [...new Set(permissions)].sort();
    if (requireMfa !== undefined) after.requireMfa = requireMfa;

    if (after.permissions) {
      if (role.name === ADMIN_ROLE && !holdsEveryPermission(after.permissions)) {
        throw adminRolePermissionsFixed();
      }
      assertMayGrant(
        callerPermissions,
        after.permissions.filter((permission) => !before.permissions.includes(permission)),
      );
    }

    const changes = diffFields(before, after, ['description', 'permissions', 'requireMfa']);
    if (Object.keys(changes).length === 0) return toRoleView(role);

    const updated = await updateRoleRow(tx, role.id, {
      description: after.description ?? role.description,
      permissions: changes.permissions ? after.permissions : undefined,
      requireMfa: changes.requireMfa ? after.requireMfa : undefined,
    });
    await recordAudit(tx, deps.actor, { action: 'role.updated', targetType: 'role', targetId: role.name, changes });
    return toRoleView(updated);
  });
}

const holdsEveryPermission = (granted: readonly Permission[]) => permissionNames.every((permission) => granted.includes(permission));

import { type Permission, permissionCatalog, type TRole } from '@ums/contract';
import type { RoleRow } from '@ums/db';

/** A permission row left behind by an older catalog grants nothing (the guards only know the catalog), so it is not shown. */
export const isCatalogPermission = (name: string): name is Permission => Object.hasOwn(permissionCatalog, name);

export const permissionsOf = (row: RoleRow): Permission[] => row.permissions.map((link) => link.permission).filter(isCatalogPermission);

export function toRoleView(row: RoleRow): TRole {
  return {
    name: row.name,
    description: row.description,
    permissions: permissionsOf(row),
    builtIn: row.builtIn,
    requireMfa: row.requireMfa,
  };
}

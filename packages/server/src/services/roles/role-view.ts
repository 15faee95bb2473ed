import { type Permission, permissionCatalog, type TRole } from '@ums/contract';
import type { Prisma } from '@ums/db';

/** The columns a Role object is made of, permissions in name order so responses and audit diffs are stable. */
export const roleSelect = {
  id: true,
  name: true,
  description: true,
  builtIn: true,
  permissions: { select: { permission: true }, orderBy: { permission: 'asc' } },
} as const satisfies Prisma.RoleSelect;

export type RoleRow = Prisma.RoleGetPayload<{ select: typeof roleSelect }>;

/** A permission row left behind by an older catalog grants nothing (the guards only know the catalog), so it is not shown. */
export const isCatalogPermission = (name: string): name is Permission => Object.hasOwn(permissionCatalog, name);

export const permissionsOf = (row: RoleRow): Permission[] => row.permissions.map((link) => link.permission).filter(isCatalogPermission);

export function toRoleView(row: RoleRow): TRole {
  return { name: row.name, description: row.description, permissions: permissionsOf(row), builtIn: row.builtIn };
}

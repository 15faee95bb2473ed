import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

/** The columns a role is read with, its permissions in name order so responses and audit diffs are stable. */
const roleSelect = {
  id: true,
  name: true,
  description: true,
  builtIn: true,
  requireMfa: true,
  permissions: { select: { permission: true }, orderBy: { permission: 'asc' } },
} as const satisfies Prisma.RoleSelect;

export type RoleRow = Prisma.RoleGetPayload<{ select: typeof roleSelect }>;

export async function selectRoles(db: DbHandle): Promise<RoleRow[]> {
  return db.prisma.role.findMany({ select: roleSelect, orderBy: { name: 'asc' } });
}

/** The role, row-locked until the transaction ends, so concurrent edits and deletes of one role apply one after another. */
export async function lockRoleByName(tx: DbHandle, name: string): Promise<RoleRow | null> {
  const [locked] = await tx.query<{ id: string }>(Prisma.sql`SELECT id FROM roles WHERE name = ${name} FOR UPDATE`);
  return locked ? tx.prisma.role.findUnique({ where: { id: locked.id }, select: roleSelect }) : null;
}

/** The roles of these names that exist, with their permissions. */
export async function selectRolesByName(db: DbHandle, names: readonly string[]): Promise<RoleRow[]> {
  return db.prisma.role.findMany({ where: { name: { in: [...names] } }, select: roleSelect });
}

export interface NewRole {
  name: string;
  description: string;
  permissions: readonly string[];
  builtIn?: boolean;
  requireMfa?: boolean;
}

/** A new role; a taken name fails on the unique index (see isUniqueViolation). */
export async function insertRole(tx: DbHandle, { permissions, ...role }: NewRole): Promise<RoleRow> {
  return tx.prisma.role.create({
    data: { ...role, permissions: { create: permissions.map((permission) => ({ permission })) } },
    select: roleSelect,
  });
}

/** Its user_roles and role_permissions rows go with it (ON DELETE CASCADE). */
export async function deleteRoleRow(tx: DbHandle, id: string): Promise<void> {
  await tx.prisma.role.delete({ where: { id }, select: { id: true } });
}

export async function countRoleHolders(db: DbHandle, roleId: string): Promise<number> {
  return db.prisma.userRole.count({ where: { roleId } });
}

/** Writes a role's description and, when given, makes its permissions exactly `permissions`. */
export async function updateRoleRow(
  tx: DbHandle,
  id: string,
  {
    description,
    permissions,
    requireMfa,
  }: { description: string; permissions?: readonly string[] | undefined; requireMfa?: boolean | undefined },
): Promise<RoleRow> {
  if (permissions) {
    await tx.prisma.rolePermission.deleteMany({ where: { roleId: id, permission: { notIn: [...permissions] } } });
    await addRolePermissions(tx, id, permissions);
  }
  return tx.prisma.role.update({
    where: { id },
    data: { description, ...(requireMfa === undefined ? {} : { requireMfa }) },
    select: roleSelect,
  });
}

export async function addRolePermissions(tx: DbHandle, roleId: string, permissions: readonly string[]): Promise<void> {
  await tx.prisma.rolePermission.createMany({ data: permissions.map((permission) => ({ roleId, permission })), skipDuplicates: true });
}

export async function findRoleIdByName(db: DbHandle, name: string): Promise<string | null> {
  return (await db.prisma.role.findUnique({ where: { name }, select: { id: true } }))?.id ?? null;
}

export async function selectRoleIdsByName(db: DbHandle, names: readonly string[]): Promise<string[]> {
  const roles = await db.prisma.role.findMany({ where: { name: { in: [...names] } }, select: { id: true } });
  return roles.map((role) => role.id);
}

export async function selectPermissions(db: DbHandle): Promise<{ name: string; description: string }[]> {
  return db.prisma.permission.findMany({ select: { name: true, description: true }, orderBy: { name: 'asc' } });
}

export async function upsertPermission(tx: DbHandle, { name, description }: { name: string; description: string }): Promise<void> {
  await tx.prisma.permission.upsert({ where: { name }, create: { name, description }, update: { description } });
}

import type { Tx } from '../sessions.ts';
import { type RoleRow, roleSelect } from './role-view.ts';

/** The role, row-locked until the transaction ends, so concurrent edits and deletes of one role apply one after another. */
export async function findRoleForUpdate(tx: Tx, name: string): Promise<RoleRow | null> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM roles WHERE name = ${name} FOR UPDATE`;
  const id = locked[0]?.id;
  return id ? tx.role.findUnique({ where: { id }, select: roleSelect }) : null;
}

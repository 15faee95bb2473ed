import type { TRole } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { roleSelect, toRoleView } from './role-view.ts';

export async function listRoles(db: PrismaClient): Promise<{ items: TRole[] }> {
  const rows = await db.role.findMany({ select: roleSelect, orderBy: { name: 'asc' } });
  return { items: rows.map(toRoleView) };
}

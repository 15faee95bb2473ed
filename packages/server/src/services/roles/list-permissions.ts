import type { Permission } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { isCatalogPermission } from './role-view.ts';

export async function listPermissions(db: PrismaClient): Promise<{ items: { name: Permission; description: string }[] }> {
  const rows = await db.permission.findMany({ select: { name: true, description: true }, orderBy: { name: 'asc' } });
  return { items: rows.flatMap(({ name, description }) => (isCatalogPermission(name) ? [{ name, description }] : [])) };
}

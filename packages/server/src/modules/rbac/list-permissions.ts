import type { Permission } from '@ums/contract';
import { selectPermissions } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { isCatalogPermission } from './role-view.ts';

export async function listPermissions({ db }: Pick<ServiceDeps, 'db'>): Promise<{ items: { name: Permission; description: string }[] }> {
  const rows = await selectPermissions(db);
  return { items: rows.flatMap(({ name, description }) => (isCatalogPermission(name) ? [{ name, description }] : [])) };
}

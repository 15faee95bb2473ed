import type { TRole } from '@ums/contract';
import { selectRoles } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { toRoleView } from './role-view.ts';

export async function listRoles({ db }: Pick<ServiceDeps, 'db'>): Promise<{ items: TRole[] }> {
  return { items: (await selectRoles(db)).map(toRoleView) };
}

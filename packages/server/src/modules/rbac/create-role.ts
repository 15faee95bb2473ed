import type { Permission, TRole } from '@ums/contract';
import { insertRole, isUniqueViolation } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { assertMayGrant } from './grant-guard.ts';
import { roleNameTaken } from './role-errors.ts';
import { toRoleView } from './role-view.ts';

export interface NewRoleInput {
  callerPermissions: ReadonlySet<Permission>;
  name: string;
  description?: string | undefined;
  permissions: readonly Permission[];
  requireMfa?: boolean | undefined;
}

export async function createRole(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { callerPermissions, name, description = '', permissions, requireMfa = false }: NewRoleInput,
): Promise<TRole> {
  const granted = [...new Set(permissions)].sort();
  assertMayGrant(callerPermissions, granted);
  try {
    return await deps.db.transaction(async (tx) => {
      const row = await insertRole(tx, { name, description, permissions: granted, requireMfa });
      await recordAudit(tx, deps.actor, {
        action: 'role.created',
        targetType: 'role',
        targetId: name,
        changes: {
          name: { from: null, to: name },
          description: { from: null, to: description },
          permissions: { from: null, to: granted },
          requireMfa: { from: null, to: requireMfa },
        },
      });
      return toRoleView(row);
    });
  } catch (error) {
    // The unique index decides, not a prior read: two concurrent creates of one name cannot both win.
    if (isUniqueViolation(error)) throw roleNameTaken(name, error);
    throw error;
  }
}

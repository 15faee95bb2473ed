import type { Permission, TRole } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { type AuditActor, recordAudit } from '../audit.ts';
import { assertMayGrant } from './grant-guard.ts';
import { isUniqueViolation, roleNameTaken } from './role-errors.ts';
import { roleSelect, toRoleView } from './role-view.ts';

export interface CreateRoleOptions {
  actor: AuditActor;
  callerPermissions: ReadonlySet<Permission>;
  name: string;
  description?: string | undefined;
  permissions: readonly Permission[];
}

export async function createRole(
  db: PrismaClient,
  { actor, callerPermissions, name, description = '', permissions }: CreateRoleOptions,
): Promise<TRole> {
  const granted = [...new Set(permissions)].sort();
  assertMayGrant(callerPermissions, granted);
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.role.create({
        data: { name, description, permissions: { create: granted.map((permission) => ({ permission })) } },
        select: roleSelect,
      });
      await recordAudit(tx, actor, {
        action: 'role.created',
        targetType: 'role',
        targetId: name,
        changes: { name: { from: null, to: name }, description: { from: null, to: description }, permissions: { from: null, to: granted } },
      });
      return toRoleView(row);
    });
  } catch (error) {
    // The unique index decides, not a prior read: two concurrent creates of one name cannot both win.
    if (isUniqueViolation(error)) throw roleNameTaken(name, error);
    throw error;
  }
}

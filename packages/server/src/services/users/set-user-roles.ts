import type { TUser } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import { assertActiveAdminRemains, lockAdminRole } from '../admin-guard.ts';
import { type AuditActor, recordAudit } from '../audit.ts';
import { getUser } from './get-user.ts';
import { lockUserVersion } from './user-lock.ts';

/**
 * Replaces a user's roles with exactly `roles`. Permissions are read per request, so the change holds from
 * the user's next call. Refused (409) when it would leave no active admin; setting the same roles changes nothing.
 * A caller may only hand out roles whose permissions they hold themselves (403 otherwise): roles:assign alone must
 * not be a way to become admin.
 */
export async function setUserRoles(
  db: PrismaClient,
  actor: AuditActor,
  { id, roles, granterPermissions }: { id: string; roles: string[]; granterPermissions: ReadonlySet<string> },
): Promise<TUser> {
  const wanted = [...new Set(roles)].sort();
  return db.$transaction(async (tx) => {
    await lockAdminRole(tx);
    await lockUserVersion(tx, id);

    const known = await tx.role.findMany({
      where: { name: { in: wanted } },
      select: { id: true, name: true, permissions: { select: { permission: true } } },
    });
    const knownNames = new Set(known.map((role) => role.name));
    const unknown = roles.flatMap((name, index) =>
      knownNames.has(name) ? [] : [{ path: ['roles', index], message: `unknown role "${name}"` }],
    );
    if (unknown.length > 0) throw new AppError('BAD_REQUEST', 'Input validation failed', { issues: unknown });

    const current = await tx.userRole.findMany({ where: { userId: id }, select: { role: { select: { name: true } } } });
    const before = current.map((link) => link.role.name).sort();
    if (before.join('\n') === wanted.join('\n')) return getUser(tx, { id });

    const added = known.filter((role) => !before.includes(role.name));
    const ungrantable = [...new Set(added.flatMap((role) => role.permissions.map((link) => link.permission)))]
      .filter((permission) => !granterPermissions.has(permission))
      .sort();
    if (ungrantable.length > 0) {
      throw new AppError('FORBIDDEN', `You can only assign roles whose permissions you hold; missing ${ungrantable.join(', ')}`);
    }

    const wantedIds = known.map((role) => role.id);
    await tx.userRole.deleteMany({ where: { userId: id, roleId: { notIn: wantedIds } } });
    await tx.userRole.createMany({ data: wantedIds.map((roleId) => ({ userId: id, roleId })), skipDuplicates: true });
    await tx.user.update({ where: { id }, data: { version: { increment: 1 } }, select: { id: true } });
    await assertActiveAdminRemains(tx);
    await recordAudit(tx, actor, {
      action: 'user.roles_set',
      targetType: 'user',
      targetId: id,
      changes: { roles: { from: before, to: wanted } },
    });
    return getUser(tx, { id });
  });
}

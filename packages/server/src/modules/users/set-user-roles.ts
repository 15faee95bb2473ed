import type { TUser } from '@ums/contract';
import { findUserRoleNames, lockAdminRole, replaceUserRoles, selectRolesByName } from '@ums/db';
import { AppError } from '../../app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { assertActiveAdminRemains } from './admin-guard.ts';
import { getUser } from './get-user.ts';
import { lockUser } from './lock-user.ts';
import { rolesNotGrantable } from './user-errors.ts';

export interface UserRolesChange {
  id: string;
  /** Every role the user will hold, or how to make that list from the roles held now (read under the row lock). */
  roles: string[] | ((current: readonly string[]) => string[]);
  /** The caller's permissions: only roles whose permissions they all hold may be handed out. */
  granterPermissions: ReadonlySet<string>;
}

/**
 * Replaces a user's roles with exactly `roles`. Permissions are read per request, so the change holds from
 * the user's next call. Refused (409) when it would leave no active admin; setting the same roles changes nothing.
 * A caller may only hand out roles whose permissions they hold themselves (403 otherwise): roles:assign alone must
 * not be a way to become admin.
 */
export async function setUserRoles(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { id, roles: change, granterPermissions }: UserRolesChange,
): Promise<TUser> {
  return deps.db.transaction(async (tx) => {
    await lockAdminRole(tx);
    await lockUser(tx, { id });
    const before = await findUserRoleNames(tx, id);
    const roles = typeof change === 'function' ? change(before) : change;
    const wanted = [...new Set(roles)].sort();

    const known = await selectRolesByName(tx, wanted);
    const knownNames = new Set(known.map((role) => role.name));
    const unknown = roles.flatMap((name, index) =>
      knownNames.has(name) ? [] : [{ path: ['roles', index], message: `unknown role "${name}"` }],
    );
    if (unknown.length > 0) throw new AppError('BAD_REQUEST', 'Input validation failed', { issues: unknown });

    if (before.join('\n') === wanted.join('\n')) return getUser({ db: tx }, { id });

    const added = known.filter((role) => !before.includes(role.name));
    const ungrantable = [...new Set(added.flatMap((role) => role.permissions.map((link) => link.permission)))]
      .filter((permission) => !granterPermissions.has(permission))
      .sort();
    if (ungrantable.length > 0) {
      throw rolesNotGrantable(ungrantable);
    }

    await replaceUserRoles(
      tx,
      id,
      known.map((role) => role.id),
    );
    await assertActiveAdminRemains(tx);
    await recordAudit(tx, deps.actor, {
      action: 'user.roles_set',
      targetType: 'user',
      targetId: id,
      changes: { roles: { from: before, to: wanted } },
    });
    return getUser({ db: tx }, { id });
  });
}

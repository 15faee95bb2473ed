import type { Permission } from '@ums/contract';
import { permissionsNotHeld } from './role-errors.ts';

/**
 * `roles:manage` alone must not be a way to escalate: a caller may only put into a role the permissions they hold
 * themselves (admins hold all). Removing permissions is always allowed.
 */
export function assertMayGrant(callerPermissions: ReadonlySet<Permission>, granted: Iterable<Permission>): void {
  const missing = [...granted].filter((permission) => !callerPermissions.has(permission));
  if (missing.length > 0) {
    throw permissionsNotHeld(missing);
  }
}

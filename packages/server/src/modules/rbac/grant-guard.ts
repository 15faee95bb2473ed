import type { Permission } from '@ums/contract';
import { AppError } from '../../app-error.ts';

/**
 * `roles:manage` alone must not be a way to escalate: a caller may only put into a role the permissions they hold
 * themselves (admins hold all). Removing permissions is always allowed.
 */
export function assertMayGrant(callerPermissions: ReadonlySet<Permission>, granted: Iterable<Permission>): void {
  const missing = [...granted].filter((permission) => !callerPermissions.has(permission));
  if (missing.length > 0) {
    throw new AppError('FORBIDDEN', `You cannot grant permissions you do not hold: ${missing.sort().join(', ')}`);
  }
}

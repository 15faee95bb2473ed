import { countActiveAdmins, type DbHandle } from '@ums/db';
import { lastActiveAdmin } from '../users/user-errors.ts';

/**
 * Runs `change` (which deactivates one account) in the caller's transaction, after lockAdminRole, and refuses it
 * (409) when it took away the last active admin. Unlike a check of the count after the change alone, it lets a
 * non-admin go from a database that has no admin at all.
 */
export async function keepingAnActiveAdmin<T>(tx: DbHandle, change: () => Promise<T>): Promise<T> {
  const before = await countActiveAdmins(tx);
  const result = await change();
  if (before > 0 && (await countActiveAdmins(tx)) === 0) throw lastActiveAdmin();
  return result;
}

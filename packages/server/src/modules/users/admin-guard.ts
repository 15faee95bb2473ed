import { countActiveAdmins, type DbHandle } from '@ums/db';
import { lastActiveAdmin } from './user-errors.ts';

/** Call after the change, in the same transaction (after lockAdminRole): refuses to leave no active admin. */
export async function assertActiveAdminRemains(tx: DbHandle): Promise<void> {
  if ((await countActiveAdmins(tx)) === 0) throw lastActiveAdmin();
}

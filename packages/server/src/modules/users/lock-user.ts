import { type DbHandle, type LockedUser, lockUserRow } from '@ums/db';
import { userNotFound, versionConflict } from './user-errors.ts';

/**
 * Locks the user's row for the rest of the transaction and checks the caller's `expectedVersion` against it, so
 * the check and the write that follows are one atomic step. Unknown user → 404; stale version → 409.
 */
export async function lockUser(
  tx: DbHandle,
  { id, expectedVersion }: { id: string; expectedVersion?: number | undefined },
): Promise<LockedUser> {
  const row = await lockUserRow(tx, id);
  if (!row) throw userNotFound();
  if (expectedVersion !== undefined && expectedVersion !== row.version) throw versionConflict(row.version);
  return row;
}

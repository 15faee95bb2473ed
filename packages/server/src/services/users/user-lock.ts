import { AppError } from '../../errors.ts';
import type { Tx } from '../sessions.ts';

/**
 * Locks the user's row for the rest of the transaction and checks the caller's `expectedVersion` against it,
 * so the check and the write that follows are one atomic step: a concurrent writer waits, then sees the new
 * version. Returns the current version. Unknown user → 404; stale version → 409 carrying `currentVersion`.
 */
export async function lockUserVersion(tx: Tx, userId: string, expectedVersion?: number): Promise<number> {
  const [row] = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  if (!row) throw userNotFound();
  if (expectedVersion !== undefined && expectedVersion !== row.version) throw versionConflict(row.version);
  return row.version;
}

export const userNotFound = () => new AppError('NOT_FOUND', 'No such user');

export const versionConflict = (currentVersion: number) =>
  new AppError('CONFLICT', `The user was changed meanwhile (now at version ${currentVersion}); reload and retry`, {
    data: { currentVersion },
  });

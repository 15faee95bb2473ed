import type { TUser } from '@ums/contract';
import { type DbHandle, findUserById } from '@ums/db';
import { userNotFound } from './user-errors.ts';

/** One user as the API shows it (active or not); on the client or inside a transaction. */
export async function getUser({ db }: { db: DbHandle }, { id }: { id: string }): Promise<TUser> {
  const row = await findUserById(db, id);
  if (!row) throw userNotFound();
  return row;
}

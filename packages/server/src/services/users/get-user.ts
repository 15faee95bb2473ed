import type { TUser } from '@ums/contract';
import type { Tx } from '../sessions.ts';
import { toUserView, userSelect } from '../user-view.ts';
import { userNotFound } from './user-lock.ts';

/** One user as the API shows it (active or not); works on the client or inside a transaction. */
export async function getUser(db: Tx, { id }: { id: string }): Promise<TUser> {
  const row = await db.user.findUnique({ where: { id }, select: userSelect });
  if (!row) throw userNotFound();
  return toUserView(row);
}

import { type DbHandle, findErasedAt } from '@ums/db';
import { erasedAccount } from './erasure-errors.ts';

/** Refuses (409) to bring an erased account back: it has no address, password or factors left to sign in with. */
export async function assertNotErased(tx: DbHandle, id: string): Promise<void> {
  if ((await findErasedAt(tx, id))?.erasedAt) throw erasedAccount();
}

import type { TUser } from '@ums/contract';
import type { ServiceDeps } from '../service-deps.ts';
import { getUser } from '../users/get-user.ts';
import { eraseAccount } from './erase-account.ts';
import { selfErasure } from './erasure-errors.ts';

/** `users.erase`: erases another account now; answers it as erased (also when it already was). */
export async function eraseUser(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { id, callerId }: { id: string; callerId: string },
): Promise<TUser> {
  // Erasing oneself mid-request would also end the caller's session; me.delete is the way, with its grace period.
  // UUIDs compare case-insensitively: the caller's own id in capitals is still the caller.
  if (id.toLowerCase() === callerId.toLowerCase()) throw selfErasure();
  return deps.db.transaction(async (tx) => {
    await eraseAccount(tx, deps.actor, { id });
    return getUser({ db: tx }, { id });
  });
}

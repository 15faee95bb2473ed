import type { TPasskey } from '@ums/contract';
import { renamePasskey as renamePasskeyRow } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { passkeyNotFound } from './passkey-errors.ts';
import { toPasskey } from './passkey-view.ts';

/** Renames one of the caller's passkeys; another user's is a 404 like a missing one. */
export async function renamePasskey(
  { db }: Pick<ServiceDeps, 'db'>,
  input: { userId: string; id: string; name: string },
): Promise<TPasskey> {
  const row = await renamePasskeyRow(db, input);
  if (!row) throw passkeyNotFound();
  return toPasskey(row);
}

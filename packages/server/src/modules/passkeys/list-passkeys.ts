import { listPasskeys as listPasskeyRows } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { toPasskey } from './passkey-view.ts';

export async function listPasskeys({ db }: Pick<ServiceDeps, 'db'>, { userId }: { userId: string }) {
  return { items: (await listPasskeyRows(db, userId)).map(toPasskey) };
}

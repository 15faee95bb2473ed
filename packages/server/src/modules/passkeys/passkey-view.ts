import type { TPasskey } from '@ums/contract';
import type { PasskeyRow } from '@ums/db';

/** A passkey as the API shows it: never the public key, the credential id or the counter. */
export const toPasskey = (row: PasskeyRow): TPasskey => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  backedUp: row.backedUp,
  transports: row.transports,
});

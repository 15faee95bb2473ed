import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

/** A round trip that proves the database answers. */
export async function pingDatabase(db: DbHandle): Promise<void> {
  await db.query(Prisma.sql`SELECT 1`);
}

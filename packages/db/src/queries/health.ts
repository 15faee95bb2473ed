import { existsSync, readdirSync } from 'node:fs';
import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';
import { migrationsDir } from '../migrations.ts';

/** A round trip that proves the database answers. */
export async function pingDatabase(db: DbHandle): Promise<void> {
  await db.query(Prisma.sql`SELECT 1`);
}

let shipped: string[] | undefined;
const shippedMigrations = () => {
  shipped ??= existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
    : [];
  return shipped;
};

/** The migrations this build ships that the database has not finished applying (none: the schema is current). */
export async function pendingMigrations(db: DbHandle): Promise<string[]> {
  const rows = await db.query<{ migration_name: string }>(
    Prisma.sql`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  return shippedMigrations().filter((name) => !applied.has(name));
}

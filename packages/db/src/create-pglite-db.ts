import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { CreateDbOptions } from './create-db.ts';
import { isInitialisedDataDir, readEmbeddedTemplate } from './embedded-template.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { type Db, prismaHandle, transactionOf } from './handle.ts';
import { dbLimitsWith, transactionOptionsOf } from './wait-limits.ts';

/** Contrib extensions the migrations create; PGlite can only create those handed to it here. */
const pgliteExtensions = { pg_trgm, citext };

/** `pglite:memory` → in-process PGlite in memory; `pglite:<dir>` (or a bare path) → persisted in that directory. */
export async function createPgliteDb(url: string, options: CreateDbOptions): Promise<Db> {
  const dir = url.startsWith('pglite:') ? url.slice('pglite:'.length) : url;
  const inMemory = dir === 'memory' || dir === '';
  if (!inMemory) mkdirSync(dir, { recursive: true });
  // A new data directory starts from the install-time snapshot when there is one (initdb is slow in WebAssembly).
  const snapshot = options.loadDataDir ?? (inMemory || isInitialisedDataDir(dir) ? undefined : readEmbeddedTemplate());
  const pglite = await PGlite.create({
    ...(inMemory ? {} : { dataDir: dir }),
    ...(snapshot ? { loadDataDir: snapshot } : {}),
    extensions: pgliteExtensions,
  });
  const adapter = new PrismaPGlite(pglite);
  // One connection inside the process: no other session holds its locks, so only the transaction's limits apply.
  const prisma = new PrismaClient({ adapter, transactionOptions: transactionOptionsOf(dbLimitsWith(options.limits)) });
  return {
    kind: 'pglite',
    ...prismaHandle(prisma),
    prisma,
    transaction: transactionOf(prisma),
    adapter,
    pglite,
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { isInitialisedDataDir, readEmbeddedTemplate } from './embedded-template.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { PrismaPgWholeScripts } from './postgres-adapter.ts';

export type DbKind = 'postgres' | 'pglite';

export interface Db {
  readonly kind: DbKind;
  readonly prisma: PrismaClient;
  /**
   * The driver adapter migrations run through. PGlite: the client's own (one PGlite may only be opened once).
   * PostgreSQL: a dedicated single connection, so the migration engine's session advisory lock is taken and
   * released on the same connection — through a pool it could stay held by another one and block every later
   * instance's start; the connection also closes when idle, which releases any lock in any case.
   */
  readonly adapter: SqlMigrationAwareDriverAdapterFactory;
  /** Present on the embedded back end, for tests that snapshot a migrated database. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** node-postgres pool size (PostgreSQL only). */
  poolSize?: number;
  /** Start the embedded database from a `PGlite.dumpDataDir()` snapshot. */
  loadDataDir?: Blob;
  /** Called when an idle pooled connection fails (the server logs it); the pool replaces the connection. */
  onPoolError?: (error: Error) => void;
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** Contrib extensions the migrations create; PGlite can only create those handed to it here. */
const pgliteExtensions = { pg_trgm, citext };

/**
 * `postgresql://…` → Prisma over node-postgres. `pglite:memory` → in-process PGlite in memory.
 * `pglite:<dir>` (or a bare path) → in-process PGlite persisted in that directory.
 */
export async function createDb(url: string, options: CreateDbOptions = {}): Promise<Db> {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      // Fail fast while the database is down instead of queueing requests behind a hung connect.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
    });
    const onPoolError = options.onPoolError ?? (() => {});
    pool.on('error', onPoolError);
    const prisma = new PrismaClient({ adapter: new PrismaPgWholeScripts(pool, { onPoolError, onConnectionError: onPoolError }) });
    const migrationPool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 1000, connectionTimeoutMillis: 10_000 });
    migrationPool.on('error', onPoolError);
    return {
      kind: 'postgres',
      prisma,
      adapter: new PrismaPgWholeScripts(migrationPool, { onPoolError, onConnectionError: onPoolError }),
      close: async () => {
        await prisma.$disconnect();
        await Promise.all([pool.end(), migrationPool.end()]);
      },
    };
  }
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
  const prisma = new PrismaClient({ adapter });
  return {
    kind: 'pglite',
    prisma,
    adapter,
    pglite,
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

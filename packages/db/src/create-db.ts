import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { type Prisma, PrismaClient } from './generated/prisma/client.ts';
import { PrismaPgWholeScripts } from './postgres-adapter.ts';
import { POOL_WAIT_MS, TRANSACTION_MAX_WAIT_MS, TRANSACTION_TIMEOUT_MS } from './wait-limits.ts';

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
  /**
   * Raw SQL for the hottest statements (the session check on every signed-in request, users.list, audit.list, the
   * settings read and write), outside interactive transactions. PostgreSQL: straight to node-postgres as named,
   * prepared statements, without Prisma's per-call work (~15 % of a signed-in GET in the bench). PGlite: through
   * Prisma, whose adapter serialises the single connection between queries and transactions.
   */
  readonly sql: SqlClient;
  /** Present on the embedded back end, for tests that snapshot a migrated database. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export interface SqlClient {
  /** Rows as node-postgres parses them (PostgreSQL) or as Prisma's raw queries return them (PGlite). */
  query<Row>(statement: Prisma.Sql): Promise<Row[]>;
}

/** A SqlClient over Prisma's raw queries: for PGlite, and for statements inside an interactive transaction. */
export const sqlThrough = (prisma: Pick<PrismaClient, '$queryRaw'>): SqlClient => ({
  query: <Row>(statement: Prisma.Sql) => prisma.$queryRaw<Row[]>(statement),
});

export interface CreateDbOptions {
  /** node-postgres pool size (PostgreSQL only). */
  poolSize?: number;
  /** Start the embedded database from a `PGlite.dumpDataDir()` snapshot. */
  loadDataDir?: Blob;
  /** Called when an idle pooled connection fails (the server logs it); the pool replaces the connection. */
  onPoolError?: (error: Error) => void;
}

/**
 * Named statements are prepared once per connection and reused, so PostgreSQL stops parsing and planning the hot
 * queries (the session check runs on every request) each time: +50 % `me` throughput in the bench. Named by the
 * SQL text's hash, remembered per text; statements with many parameters (variable-length IN lists) stay unnamed,
 * so a connection's statement cache stays bounded by the code's queries.
 */
function preparedStatementName(query: Pick<SqlQuery, 'sql' | 'args'>): string {
  if (query.args.length > MAX_PREPARED_PARAMETERS || PLANNED_BY_VALUE.test(query.sql)) return '';
  let name = statementNames.get(query.sql);
  if (name === undefined) {
    name = `ums_${createHash('sha256').update(query.sql).digest('base64url').slice(0, 32)}`;
    if (statementNames.size < MAX_REMEMBERED_NAMES) statementNames.set(query.sql, name);
  }
  return name;
}
const MAX_PREPARED_PARAMETERS = 32;
// A pattern match's best plan depends on the pattern: after five runs a prepared statement may switch to one
// generic plan for every term, which halved the user search's throughput in the bench. Those stay unnamed.
const PLANNED_BY_VALUE = /\bI?LIKE\b/i;
const MAX_REMEMBERED_NAMES = 2000;
const statementNames = new Map<string, string>();

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/**
 * `postgresql://…` → Prisma over node-postgres. `pglite:memory` → in-process PGlite in memory.
 * `pglite:<dir>` (or a bare path) → in-process PGlite persisted in that directory.
 */
export async function createDb(url: string, options: CreateDbOptions = {}): Promise<Db> {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      // node-postgres uses this both for a new connection and for waiting in the queue for a free one. A database
      // that is down refuses connections at once (fast 503s); under a burst, requests queue up to this long.
      connectionTimeoutMillis: POOL_WAIT_MS,
      idleTimeoutMillis: 30_000,
    });
    const onPoolError = options.onPoolError ?? (() => {});
    pool.on('error', onPoolError);
    const prisma = new PrismaClient({
      adapter: new PrismaPgWholeScripts(pool, {
        onPoolError,
        onConnectionError: onPoolError,
        statementNameGenerator: preparedStatementName,
      }),
      // Prisma's default is to wait 2 s to start a transaction: under a burst that turned queueing into errors.
      transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: TRANSACTION_TIMEOUT_MS },
    });
    const migrationPool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 1000, connectionTimeoutMillis: 10_000 });
    migrationPool.on('error', onPoolError);
    return {
      kind: 'postgres',
      prisma,
      sql: {
        query: async <Row>(statement: Prisma.Sql) => {
          const { text, values } = statement;
          const result = await pool.query({ name: preparedStatementName({ sql: text, args: values }), text, values });
          return result.rows as Row[];
        },
      },
      adapter: new PrismaPgWholeScripts(migrationPool, { onPoolError, onConnectionError: onPoolError }),
      close: async () => {
        await prisma.$disconnect();
        await Promise.all([pool.end(), migrationPool.end()]);
      },
    };
  }
  // Imported only when used: a PostgreSQL deployment never loads the embedded database's code.
  const { createPgliteDb } = await import('./create-pglite-db.ts');
  return createPgliteDb(url, options);
}

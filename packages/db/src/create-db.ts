import { createHash } from 'node:crypto';
import type { SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { BoundedPool } from './bounded-pool.ts';
import { type Prisma, PrismaClient } from './generated/prisma/client.ts';
import { type Db, transactionOf } from './handle.ts';
import { PrismaPgWholeScripts } from './postgres-adapter.ts';
import { type DbLimits, dbLimitsWith, transactionOptionsOf } from './wait-limits.ts';

export interface CreateDbOptions {
  /** node-postgres pool size (PostgreSQL only). */
  poolSize?: number;
  /** Timeouts and the bound on the connection queue; each unset one has its default (DEFAULT_DB_LIMITS). */
  limits?: Partial<DbLimits>;
  /** Start the embedded database from a `PGlite.dumpDataDir()` snapshot. */
  loadDataDir?: Blob;
  /** Called when an idle pooled connection fails (the server logs it); the pool replaces the connection. */
  onPoolError?: (error: Error) => void;
}

/**
 * Named statements are prepared once per connection and reused, so PostgreSQL stops parsing and planning the hot
 * queries (the session check runs on every request) each time (docs/benchmarks.md). Named by the
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
// A pattern match's best plan depends on the pattern, and a prepared statement may switch to one generic plan for
// every term: those stay unnamed.
const PLANNED_BY_VALUE = /\bI?LIKE\b/i;
const MAX_REMEMBERED_NAMES = 2000;
const statementNames = new Map<string, string>();

const namedStatement = ({ text, values }: Prisma.Sql): pg.QueryConfig => ({
  name: preparedStatementName({ sql: text, args: values }),
  text,
  values,
});

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/**
 * `postgresql://…` → Prisma over node-postgres. `pglite:memory` → in-process PGlite in memory.
 * `pglite:<dir>` (or a bare path) → in-process PGlite persisted in that directory.
 */
export async function createDb(url: string, options: CreateDbOptions = {}): Promise<Db> {
  if (isPostgresUrl(url)) {
    const limits = dbLimitsWith(options.limits);
    const pool = new BoundedPool(
      {
        connectionString: url,
        max: options.poolSize ?? 10,
        // node-postgres uses this both for a new connection and for waiting in the queue for a free one. A database
        // that is down refuses connections at once (fast 503s); under a burst, requests queue up to this long.
        connectionTimeoutMillis: limits.poolWaitMs,
        idleTimeoutMillis: 30_000,
        // Sent at connect as session settings: a blocked or runaway statement ends in an error, and frees its connection.
        statement_timeout: limits.statementTimeoutMs,
        lock_timeout: limits.lockTimeoutMs,
      },
      limits.maxWaiting,
    );
    const onPoolError = options.onPoolError ?? (() => {});
    pool.on('error', onPoolError);
    const prisma = new PrismaClient({
      adapter: new PrismaPgWholeScripts(pool, {
        onPoolError,
        onConnectionError: onPoolError,
        statementNameGenerator: preparedStatementName,
      }),
      // Prisma's default is to wait 2 s to start a transaction: under a burst that turned queueing into errors.
      transactionOptions: transactionOptionsOf(limits),
    });
    // Without the service's timeouts: a migration may hold a lock or run a statement for as long as it needs.
    const migrationPool = new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 1000, connectionTimeoutMillis: 10_000 });
    migrationPool.on('error', onPoolError);
    return {
      kind: 'postgres',
      prisma,
      // Outside transactions, straight to node-postgres as named statements, without Prisma's per-call work.
      query: async <Row>(statement: Prisma.Sql) => (await pool.query(namedStatement(statement))).rows as Row[],
      execute: async (statement: Prisma.Sql) => (await pool.query(namedStatement(statement))).rowCount ?? 0,
      transaction: transactionOf(prisma),
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

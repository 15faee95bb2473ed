import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';

export type DbKind = 'postgres' | 'pglite';

/**
 * A connection or an open transaction, on PostgreSQL or PGlite alike: what every query function of this package
 * takes. Timestamps arrive as `Date` from both drivers.
 */
export interface DbHandle {
  /** Prisma's model API on this handle: the client, or the transaction's. */
  readonly prisma: Prisma.TransactionClient;
  /** The rows of one statement. Outside a transaction on PostgreSQL, a named statement prepared once per connection. */
  query<Row>(statement: Prisma.Sql): Promise<Row[]>;
  /** How many rows one statement changed. */
  execute(statement: Prisma.Sql): Promise<number>;
}

export interface Db extends DbHandle {
  readonly kind: DbKind;
  readonly prisma: PrismaClient;
  /** Runs `work` in one transaction; everything it sends through `tx` commits together, or nothing does. */
  transaction<T>(work: (tx: DbHandle) => Promise<T>): Promise<T>;
  /**
   * The driver adapter migrations run through. PGlite: the client's own (one PGlite may only be opened once).
   * PostgreSQL: a dedicated single connection, so the migration engine's session advisory lock is taken and
   * released on the same connection; it also closes when idle, which releases any lock in any case.
   */
  readonly adapter: SqlMigrationAwareDriverAdapterFactory;
  /** Present on the embedded back end, for tests that snapshot a migrated database. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

/** A handle over Prisma's raw queries: PGlite's only path (its adapter serialises the one connection), and every transaction's. */
export const prismaHandle = (prisma: Prisma.TransactionClient): DbHandle => ({
  prisma,
  query: <Row>(statement: Prisma.Sql) => prisma.$queryRaw<Row[]>(statement),
  execute: (statement: Prisma.Sql) => prisma.$executeRaw(statement),
});

/** `transaction` for a Prisma client: the work gets a handle bound to the interactive transaction. */
export const transactionOf =
  (prisma: PrismaClient) =>
  <T>(work: (tx: DbHandle) => Promise<T>): Promise<T> =>
    prisma.$transaction((tx) => work(prismaHandle(tx)));

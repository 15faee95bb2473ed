/**
 * How long the service waits on the database before it answers 503 instead (DB_* in the README's configuration).
 * A lock is given up before a statement and a statement before its transaction, so the error that fires first
 * names what happened; each is short enough that a blocked database frees its connections within seconds.
 */
export interface DbLimits {
  /** PostgreSQL `statement_timeout` of every service connection. */
  statementTimeoutMs: number;
  /** PostgreSQL `lock_timeout` of every service connection. */
  lockTimeoutMs: number;
  /** Prisma's interactive transaction timeout: the longest a transaction may stay open. */
  transactionTimeoutMs: number;
  /** The longest a query or transaction queues for a free connection. */
  poolWaitMs: number;
  /** Requests queued for a connection beyond which the next is refused at once (PostgreSQL only). */
  maxWaiting: number;
}

export const DEFAULT_DB_LIMITS: Readonly<DbLimits> = Object.freeze({
  statementTimeoutMs: 5000,
  lockTimeoutMs: 3000,
  transactionTimeoutMs: 10_000,
  poolWaitMs: 5000,
  // Past the load benchmark's 500 connections, each waiting for at most one connection at a time.
  maxWaiting: 1000,
});

export const dbLimitsWith = (limits: Partial<DbLimits> | undefined): DbLimits => ({ ...DEFAULT_DB_LIMITS, ...limits });

/** Prisma's transaction options for these limits: it waits for a connection as long as the pool would. */
export const transactionOptionsOf = (limits: DbLimits) => ({ maxWait: limits.poolWaitMs, timeout: limits.transactionTimeoutMs });

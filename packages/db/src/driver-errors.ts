import { Prisma } from './generated/prisma/client.ts';

// Driver and Prisma codes: the server refused or dropped the connection, or did not answer in time.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'P1001', // can't reach the database server
  'P1002', // the server was reached but timed out
  'P1008', // operation timed out
  'P1017', // the server closed the connection
  'P2024', // timed out fetching a connection from the pool
  // Every P2028 is the interactive transaction failing as a whole: it could not start within maxWait, or it ran
  // past its timeout ("expired transaction", "Transaction already closed", "Transaction not found" for the
  // rollback that follows). Nothing of it was committed.
  'P2028',
  'UMS_POOL_QUEUE_FULL', // bounded-pool.ts: too many requests already wait for a connection
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Can't reach database|connect ECONNREFUSED|terminating connection|the database system is (starting up|shutting down|in recovery mode)|57P03|canceling statement due to (statement|lock) timeout|database queue full|Transaction already closed|expired transaction|Unable to start a transaction/i;

/**
 * The one classifier for "the database is unavailable or did not answer in time", whichever driver (or Prisma)
 * raised it: the caller gets 503 with Retry-After, and nothing was written (a statement that timed out is rolled
 * back, and so is the transaction it was part of).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 8; depth++) {
    const e = current as {
      code?: unknown;
      kind?: unknown;
      cause?: unknown;
      message?: unknown;
      errorCode?: unknown;
      originalCode?: unknown;
    };
    for (const code of [e.code, e.errorCode, e.originalCode]) {
      if (typeof code !== 'string') continue;
      if (UNAVAILABLE_CODES.has(code) || /^(08|57P)/.test(code)) return true;
    }
    if (e.kind === 'DatabaseNotReachable' || e.kind === 'ConnectionClosed' || e.kind === 'SocketTimeout') return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}

/** A unique index refused the write (two writers racing for one value); `field` narrows it to that column's index. */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  return field === undefined || JSON.stringify(error.meta ?? {}).includes(field);
}

import { Prisma } from './generated/prisma/client.ts';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'P1001', 'P1002', 'P1017', 'P2024']);
const UNREACHABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Can't reach database|connect ECONNREFUSED|terminating connection|the database system is (starting up|shutting down|in recovery mode)|57P03/i;

/** PostgreSQL SQLSTATE classes and driver errors (either driver, or Prisma's) that mean "the database is not reachable right now". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const e = current as { code?: unknown; kind?: unknown; cause?: unknown; message?: unknown; errorCode?: unknown };
    const code = typeof e.code === 'string' ? e.code : typeof e.errorCode === 'string' ? e.errorCode : '';
    if (UNREACHABLE_CODES.has(code)) return true;
    if (/^(08|57P)/.test(code)) return true;
    // Every connection stayed busy for the transaction's whole maxWait: the database is saturated, try again.
    if (code === 'P2028' && typeof e.message === 'string' && /Unable to start a transaction/i.test(e.message)) return true;
    if (e.kind === 'DatabaseNotReachable' || e.kind === 'ConnectionClosed' || e.kind === 'SocketTimeout') return true;
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGE.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}

/** A unique index refused the write (two writers racing for one value); `field` narrows it to that column's index. */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  return field === undefined || JSON.stringify(error.meta ?? {}).includes(field);
}

import type { FastifyRequest } from 'fastify';
import { AppError } from '../app-error.ts';
import type { Context, RequestInfo } from './context.ts';
import { t } from './init.ts';

/** What the limiter answered for one request: the figures behind the `x-ratelimit-*` headers. */
export interface AuthRateLimitDecision {
  limit: number;
  remaining: number;
  /** Seconds until the address's window starts again. */
  resetSeconds: number;
  exceeded: boolean;
}

/** Counts one HTTP request against its client address's auth budget; null when nothing was counted (store down). */
export type AuthRateLimiter = (request: FastifyRequest) => Promise<AuthRateLimitDecision | null>;

interface Counted {
  pending: Promise<AuthRateLimitDecision | null>;
  decision?: AuthRateLimitDecision | null;
}

// One count per HTTP request: the auth calls of a tRPC batch share the request (and its context), so they share
// one decision, as they share the session check (procedures.ts).
const countedRequests = new WeakMap<RequestInfo, Counted>();

function countOnce(request: RequestInfo, count: () => Promise<AuthRateLimitDecision | null>): Promise<AuthRateLimitDecision | null> {
  let counted = countedRequests.get(request);
  if (!counted) {
    const entry: Counted = { pending: count().then((decision) => (entry.decision = decision)) };
    counted = entry;
    countedRequests.set(request, counted);
  }
  return counted.pending;
}

/**
 * The per-address limit on the `auth` procedures (RATE_LIMIT_AUTH calls a minute), on both transports: one shared
 * budget per client, whichever it uses. It comes before the session check and the input parser, so a call with a
 * bad token or bad input still counts, and before any password is hashed.
 */
export const limitAuthCalls = t.middleware(async ({ ctx, next }) => {
  if (ctx.authRateLimit) {
    const decision = await countOnce(ctx.request, ctx.authRateLimit);
    if (decision?.exceeded) {
      const retryAfterSeconds = Math.max(1, decision.resetSeconds);
      throw new AppError('TOO_MANY_REQUESTS', `Too many requests; retry in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
    }
  }
  return next();
});

/** The `x-ratelimit-*` headers of a response whose request the limit counted; undefined for every other one. */
export function authRateLimitHeaders(ctx: Pick<Context, 'request'> | undefined): Record<string, string> | undefined {
  const decision = ctx && countedRequests.get(ctx.request)?.decision;
  if (!decision) return undefined;
  return {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': String(decision.resetSeconds),
  };
}

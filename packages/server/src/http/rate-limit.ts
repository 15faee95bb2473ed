import rateLimit from '@fastify/rate-limit';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { REST_PREFIX } from './openapi.ts';

const WINDOW_MS = 60_000;
/** Redis keys of this limiter; the client address is appended. */
export const AUTH_RATE_LIMIT_NAMESPACE = 'ums:rate-limit:auth:';
const TRPC_ROUTE = '/trpc/:path';
const REST_AUTH_PATH = `${REST_PREFIX}/auth`.toLowerCase();
const REDIS_READY_TIMEOUT_MS = 2000;

type AuthCall = { transport: 'rest' } | { transport: 'trpc'; procedures: string[]; batch: boolean };

/**
 * Per-address limit on the auth routes (`max` requests a minute, 0 = off), on REST `/api/v1/auth/*` and on tRPC
 * calls to `auth.*`, batches included: one shared budget per client, whichever transport it uses. With Redis the
 * count is shared by every instance. Runs on onRequest, before the body is read or a password is hashed.
 */
export async function registerAuthRateLimit(app: FastifyInstance, { max, redis }: { max: number; redis: Redis | null }): Promise<void> {
  if (max <= 0) return;
  // The first auth requests after start must count in the shared store, not slip through while Redis connects.
  if (redis) await waitUntilReady(redis, REDIS_READY_TIMEOUT_MS);
  await app.register(rateLimit, {
    global: false,
    max,
    timeWindow: WINDOW_MS,
    ...(redis ? { redis, nameSpace: AUTH_RATE_LIMIT_NAMESPACE } : {}),
  });
  const limit = app.createRateLimit();

  app.addHook('onRequest', async (request, reply) => {
    const call = authCallOf(request);
    if (!call) return;
    let result: Awaited<ReturnType<typeof limit>>;
    try {
      result = await limit(request);
    } catch (error) {
      // The shared store is down: fail open rather than refuse every sign-in; the per-account lockout still holds.
      request.log.warn({ err: error }, 'auth rate limit unavailable; request let through');
      return;
    }
    if (result.isAllowed) return;
    reply.header('x-ratelimit-limit', result.max);
    reply.header('x-ratelimit-remaining', result.remaining);
    reply.header('x-ratelimit-reset', result.ttlInSeconds);
    if (!result.isExceeded) return;
    return tooManyRequests(reply, call, Math.max(1, result.ttlInSeconds));
  });
}

function authCallOf(request: FastifyRequest): AuthCall | null {
  // CORS preflights do nothing: counting them would halve a browser's budget.
  if (request.method === 'OPTIONS') return null;
  if (request.routeOptions.url === TRPC_ROUTE) {
    const path = (request.params as { path?: unknown }).path;
    const procedures = typeof path === 'string' ? path.split(',') : [];
    if (!procedures.some((name) => /^\s*auth\./i.test(name))) return null;
    const batch = (request.query as { batch?: unknown }).batch === '1';
    return { transport: 'trpc', procedures, batch };
  }
  // The REST adapter matches paths case-insensitively, so the check does too.
  const pathname = (request.url.split('?')[0] ?? '').toLowerCase();
  return pathname === REST_AUTH_PATH || pathname.startsWith(`${REST_AUTH_PATH}/`) ? { transport: 'rest' } : null;
}

/** 429 with Retry-After, in the shape each transport's clients read: the REST error body, or tRPC error envelopes. */
function tooManyRequests(reply: FastifyReply, call: AuthCall, retryAfterSeconds: number): FastifyReply {
  const message = `Too many requests; retry in ${retryAfterSeconds} seconds`;
  reply.code(429).header('retry-after', String(retryAfterSeconds));
  if (call.transport === 'rest') return reply.send({ code: 'TOO_MANY_REQUESTS', message });
  const envelope = (path: string) => ({
    error: {
      message,
      code: TRPC_ERROR_CODES_BY_KEY.TOO_MANY_REQUESTS,
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, path, retryAfterSeconds },
    },
  });
  return reply.send(call.batch ? call.procedures.map(envelope) : envelope(call.procedures[0] ?? ''));
}

function waitUntilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

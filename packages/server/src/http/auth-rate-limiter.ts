import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { AuthRateLimiter } from '../trpc/auth-rate-limit.ts';

const WINDOW_MS = 60_000;
/** Redis keys of this limiter; the client address is appended. */
const REDIS_KEY_PREFIX = 'ums:rate-limit:auth:';
const REDIS_READY_TIMEOUT_MS = 2000;

/**
 * The counter behind the auth rate limit (`max` requests a minute per client address, 0 = off), which the `auth`
 * procedures call through their context (trpc/auth-rate-limit.ts). With Redis the count is shared by every instance.
 */
export async function createAuthRateLimiter(
  app: FastifyInstance,
  { max, redis }: { max: number; redis: Redis | null },
): Promise<AuthRateLimiter | null> {
  if (max <= 0) return null;
  // The first auth requests after start must count in the shared store, not slip through while Redis connects.
  if (redis) await waitUntilReady(redis, REDIS_READY_TIMEOUT_MS);
  let count!: ReturnType<FastifyInstance['createRateLimit']>;
  // In a scope of its own: only the plugin's counter is used, so its hooks and decorators stay out of the app.
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      max,
      timeWindow: WINDOW_MS,
      ...(redis ? { redis, nameSpace: REDIS_KEY_PREFIX } : {}),
    });
    count = scope.createRateLimit();
  });

  return async (request) => {
    let result: Awaited<ReturnType<typeof count>>;
    try {
      result = await count(request);
    } catch (error) {
      // The shared store is down: fail open rather than refuse every sign-in; the per-account lockout still holds.
      request.log.warn({ err: error }, 'auth rate limit unavailable; request let through');
      return null;
    }
    if (result.isAllowed) return null;
    return { limit: result.max, remaining: result.remaining, resetSeconds: result.ttlInSeconds, exceeded: result.isExceeded };
  };
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { freePort } from '../support/pg-cluster.ts';

// REDIS_URL set but Redis unreachable: the auth rate limit fails open (a deliberate choice, see rate-limit.ts: the
// per-account lockout still holds) instead of refusing every sign-in or answering 500.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, RATE_LIMIT_AUTH: '2', LOG_LEVEL: 'warn' });
});
afterAll(() => t?.close());

describe('auth rate limit with Redis down', () => {
  it('lets auth calls through beyond the limit, answering each normally, and logs why', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ refreshToken: 'bogus' }),
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(t.logs.some((line) => line.includes('auth rate limit unavailable'))).toBe(true);
  });
});

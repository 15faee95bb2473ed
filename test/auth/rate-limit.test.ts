import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { randomAddress, rest, trpc } from '../support/client.ts';
import { freePort } from '../support/free-port.ts';
import { createSignedInUser } from '../support/users.ts';

// A refresh with a bogus token is the cheapest auth call (no password hashing): 401, and it counts.
const restRefresh = (app: FastifyInstance, remoteAddress: string, path = '/auth/refresh') =>
  rest(app, 'POST', path, { body: { refreshToken: 'bogus' }, remoteAddress });
const trpcRefresh = (app: FastifyInstance, remoteAddress: string) =>
  trpc(app, 'mutation', 'auth.refresh', { input: { refreshToken: 'bogus' }, remoteAddress });

function expectRetryAfter(header: unknown) {
  const seconds = Number(header);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(60);
}

describe('per-address rate limit on the auth routes (RATE_LIMIT_AUTH=3, in memory)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_AUTH: '3' });
  });
  afterAll(() => t.close());

  it('answers the 4th REST call of a minute with 429, Retry-After and the contract error body', async () => {
    const address = randomAddress();
    for (let i = 0; i < 3; i++) {
      const res = await restRefresh(t.app, address);
      expect(res.statusCode).toBe(401);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await restRefresh(t.app, address);
    expect(limited.statusCode).toBe(429);
    expectRetryAfter(limited.headers['retry-after']);
    // The REST error body of every other error: code, message, and the tRPC error's data.
    expect(limited.json()).toEqual({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/retry/i),
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, path: 'auth.refresh', retryAfterSeconds: expect.any(Number) },
    });
    // Every auth route shares the budget, sign-in included, whatever the case of the path.
    const login = await rest(t.app, 'POST', '/auth/login', {
      body: { email: 'a@example.com', password: 'whatever it is' },
      remoteAddress: address,
    });
    expect(login.statusCode).toBe(429);
    expect((await restRefresh(t.app, address, '/AUTH/Refresh/')).statusCode).toBe(429);

    // Another address has its own budget; other routes are not limited.
    expect((await restRefresh(t.app, randomAddress())).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/users/me', remoteAddress: address })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/health', remoteAddress: address })).statusCode).toBe(200);
  });

  it('counts tRPC and REST calls in one budget and answers tRPC in its own error shape', async () => {
    const address = randomAddress();
    expect((await restRefresh(t.app, address)).statusCode).toBe(401);
    expect((await trpcRefresh(t.app, address)).statusCode).toBe(401);
    expect((await restRefresh(t.app, address)).statusCode).toBe(401);
    const limited = await trpcRefresh(t.app, address);
    expect(limited.statusCode).toBe(429);
    expectRetryAfter(limited.headers['retry-after']);
    expect(limited.json().error).toMatchObject({
      message: expect.any(String),
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, path: 'auth.refresh', retryAfterSeconds: expect.any(Number) },
    });
  });

  it('counts tRPC batches that contain an auth procedure, and only those', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const address = randomAddress();
    // Two auth calls in one HTTP request count once. (A batch mixing a mutation with a query, such as
    // auth.refresh,me.get, is refused by tRPC with a 400 before any procedure runs.)
    const batch = () =>
      t.app.inject({
        method: 'POST',
        url: '/trpc/auth.refresh,auth.refresh?batch=1',
        headers: { 'content-type': 'application/json', ...user.headers },
        payload: JSON.stringify({ 0: { refreshToken: 'bogus' }, 1: { refreshToken: 'bogus' } }),
        remoteAddress: address,
      });
    for (let i = 0; i < 5; i++) {
      const plain = await t.app.inject({ url: '/trpc/me.get,me.get?batch=1&input=%7B%7D', headers: user.headers, remoteAddress: address });
      expect(plain.statusCode).toBe(200);
    }
    for (let i = 0; i < 3; i++) expect((await batch()).statusCode).not.toBe(429);
    const limited = await batch();
    expect(limited.statusCode).toBe(429);
    expectRetryAfter(limited.headers['retry-after']);
    const body = limited.json();
    expect(body).toHaveLength(2);
    expect(body.map((item: { error: { data: { code: string } } }) => item.error.data.code)).toEqual([
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
  });
});

describe('the limit comes before the session check (RATE_LIMIT_AUTH=3)', () => {
  it('counts signed-in auth calls with a bad token, on both transports, with the limit headers', async () => {
    const t = await createTestApp({ RATE_LIMIT_AUTH: '3' });
    try {
      const address = randomAddress();
      const badToken = { authorization: 'Bearer not-a-token' };
      const restLogout = () => rest(t.app, 'POST', '/auth/logout', { headers: badToken, remoteAddress: address });
      const first = await restLogout();
      expect(first.statusCode).toBe(401);
      expect(first.headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2' });
      const second = await trpc(t.app, 'mutation', 'auth.logoutAll', { headers: badToken, remoteAddress: address });
      expect(second.statusCode).toBe(401);
      expect(second.headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '1' });
      expect((await restLogout()).statusCode).toBe(401);
      const limited = await restLogout();
      expect(limited.statusCode).toBe(429);
      expectRetryAfter(limited.headers['retry-after']);
      expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    } finally {
      await t.close();
    }
  });
});

describe('RATE_LIMIT_AUTH=0 turns the limit off', () => {
  it('never answers 429', async () => {
    const t = await createTestApp({ RATE_LIMIT_AUTH: '0' });
    try {
      const address = randomAddress();
      for (let i = 0; i < 8; i++) expect((await restRefresh(t.app, address)).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('the limit is shared through Redis by every instance', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_AUTH: '3' });
    second = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:6379', RATE_LIMIT_AUTH: '3' });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('answers the 4th call across two apps with 429', async () => {
    // A fresh address per run: parallel runs against the same Redis never share a key.
    const address = randomAddress();
    expect((await restRefresh(first.app, address)).statusCode).toBe(401);
    expect((await trpcRefresh(second.app, address)).statusCode).toBe(401);
    expect((await restRefresh(second.app, address)).statusCode).toBe(401);
    const limited = await restRefresh(first.app, address);
    expect(limited.statusCode).toBe(429);
    expectRetryAfter(limited.headers['retry-after']);
    expect((await restRefresh(second.app, address)).statusCode).toBe(429);
    expect((await restRefresh(second.app, randomAddress())).statusCode).toBe(401);
  });
});

// REDIS_URL set but Redis unreachable: the auth rate limit fails open (a deliberate choice: the per-account lockout
// still holds) instead of refusing every sign-in or answering 500.
describe('auth rate limit with Redis down', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, RATE_LIMIT_AUTH: '2', LOG_LEVEL: 'warn' });
  });
  afterAll(() => t?.close());

  it('lets auth calls through beyond the limit, answering each normally, and logs why', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await rest(t.app, 'POST', '/auth/refresh', { body: { refreshToken: 'bogus' } });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(t.logs.some((line) => line.includes('auth rate limit unavailable'))).toBe(true);
  });
});

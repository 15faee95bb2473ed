import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, type Db } from '@ums/db';
import { loadConfig } from '@ums/server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';
import { createSignedInUser, createUser, type SignedIn, TEST_PASSWORD } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { oneShot } from './support/one-shot-http.ts';
import { createReliabilityDatabase } from './support/postgres.ts';

// Two server processes on one PostgreSQL database and one Redis, as behind a load balancer. What one instance
// does to a session or an account, the other enforces on the very next request; the login rate limit is one
// budget for both.

const JWT_SECRET = 'reliability-instances-secret-0123456789abcdef';
const REDIS_URL = process.env.RELIABILITY_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RATE_LIMIT_AUTH = 6;
/** Prisma's migration engine takes this advisory lock while it migrates. */
const MIGRATION_LOCK = 72707369;

let url: string;
let db: Db;
let a: ServerProcess;
let b: ServerProcess;
/** D4 (fixed): the second instance used to wait for the first one's migration lock, which was never released. */
let secondInstanceBlocked = false;

/** A client address of its own per test (TRUST_PROXY=true), so rate-limit keys never meet another run's in Redis. */
const address = () => `10.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;

async function assertRedisReachable(redisUrl: string) {
  const { hostname, port } = new URL(redisUrl);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) }, () => socket.end(() => resolve()));
    socket.once('error', (error) =>
      reject(new Error(`Redis is not reachable at ${redisUrl} (set RELIABILITY_REDIS_URL)`, { cause: error })),
    );
  });
}

const spawnInstance = async () =>
  spawnServer({
    DATABASE_URL: url,
    REDIS_URL,
    PORT: String(await freePort()),
    JWT_SECRET,
    RATE_LIMIT_AUTH: String(RATE_LIMIT_AUTH),
    TRUST_PROXY: 'true',
  });

/**
 * Starts the second instance. If it hangs waiting for the migration lock the first instance still holds (D4), the
 * lock holder's idle connection is ended from outside — what an operator would have to do — so the rest of the
 * file can test two instances at all.
 */
async function startSecondInstance(): Promise<ServerProcess> {
  const second = await spawnInstance();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const deadline = performance.now() + 90_000;
    while (performance.now() < deadline) {
      if (
        await waitForHealth(second.baseUrl, { timeoutMs: 1000 }).then(
          () => true,
          () => false,
        )
      )
        return second;
      const { rows } = await admin.query<{ pid: number; granted: boolean }>(
        `SELECT pid, granted FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [MIGRATION_LOCK],
      );
      const holder = rows.find((row) => row.granted);
      if (holder && rows.some((row) => !row.granted)) {
        secondInstanceBlocked = true;
        await admin.query('SELECT pg_terminate_backend($1)', [holder.pid]);
      }
      await sleep(500);
    }
    await second.stop('SIGKILL');
    throw new Error(`the second instance did not start:\n${second.output().slice(-2000)}`);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  await assertRedisReachable(REDIS_URL);
  url = await createReliabilityDatabase();
  db = await createDb(url, { poolSize: 2 });
  a = await spawnInstance();
  await waitForHealth(a.baseUrl, { timeoutMs: 90_000 });
  b = await startSecondInstance();
}, 200_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.close();
});

const config = () => loadConfig({ JWT_SECRET });
const me = (server: ServerProcess, user: { headers: Record<string, string> }) =>
  oneShot(server.baseUrl, { path: '/api/v1/users/me', headers: user.headers });

async function logIn(server: ServerProcess, email: string, from: string): Promise<{ headers: Record<string, string> }> {
  const res = await oneShot(server.baseUrl, {
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': from },
    body: { email, password: TEST_PASSWORD },
  });
  expect(res.status, res.body).toBe(200);
  return { headers: { authorization: `Bearer ${JSON.parse(res.body).accessToken}` } };
}

describe('two instances on one database and one Redis', () => {
  it('a second instance starts while the first one runs (D4, fixed: the migration lock is released)', () => {
    expect(secondInstanceBlocked).toBe(false);
  });

  it('a logout through one instance is enforced by the other on the next request', async (context) => {
    const user = await createUser(db.prisma);
    const session = await logIn(a, user.email, address());
    expect((await me(b, session)).status).toBe(200);
    expect((await oneShot(a.baseUrl, { method: 'POST', path: '/api/v1/auth/logout', headers: session.headers })).status).toBe(204);
    expect((await me(b, session)).status).toBe(401);
    expect((await oneShot(b.baseUrl, { path: '/trpc/me.get', headers: session.headers })).status).toBe(401);
    reportFigures(context, {
      instances: 2,
      notes: {
        'revoked on A, refused on B': 'next request',
        'second instance start': secondInstanceBlocked ? 'blocked by D4 until the lock holder was ended' : 'on its own',
      },
    });
  });

  it('a deactivation through one instance is enforced by the other on the next request', async (context) => {
    const admin: SignedIn = await createSignedInUser(db.prisma, config(), { roles: ['admin'] });
    const user = await createUser(db.prisma);
    const session = await logIn(b, user.email, address());
    expect((await me(a, session)).status).toBe(200);
    const deactivated = await oneShot(b.baseUrl, { method: 'DELETE', path: `/api/v1/users/${user.id}`, headers: admin.headers });
    expect(deactivated.status, deactivated.body).toBe(200);
    expect((await me(a, session)).status).toBe(401);
    const again = await oneShot(a.baseUrl, {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': address() },
      body: { email: user.email, password: TEST_PASSWORD },
    });
    expect(again.status).toBe(401);
    reportFigures(context, { instances: 2, notes: { 'deactivated on B, refused on A': 'next request' } });
  });

  it('a role taken away through one instance counts on the other at once', async () => {
    const admin = await createSignedInUser(db.prisma, config(), { roles: ['admin'] });
    const user = await createSignedInUser(db.prisma, config());
    expect((await me(b, user)).status).toBe(200);
    const set = await oneShot(a.baseUrl, {
      method: 'PUT',
      path: `/api/v1/users/${user.id}/roles`,
      headers: admin.headers,
      body: { roles: [] },
    });
    expect(set.status, set.body).toBe(200);
    expect((await me(b, user)).status).toBe(403);
  });

  it(`shares the auth rate limit: ${RATE_LIMIT_AUTH} calls a minute per address across both instances`, async (context) => {
    const from = address();
    const refresh = (server: ServerProcess) =>
      oneShot(server.baseUrl, {
        method: 'POST',
        path: '/api/v1/auth/refresh',
        headers: { 'x-forwarded-for': from },
        body: { refreshToken: 'bogus' },
      });
    const allowed: number[] = [];
    for (let i = 0; i < RATE_LIMIT_AUTH; i++) allowed.push((await refresh(i % 2 === 0 ? a : b)).status);
    // Each instance has seen only half the budget: a 429 now proves the count is shared.
    expect(allowed).toEqual(Array.from({ length: RATE_LIMIT_AUTH }, () => 401));
    const limitedOnA = await refresh(a);
    const limitedOnB = await refresh(b);
    expect([limitedOnA.status, limitedOnB.status]).toEqual([429, 429]);
    const login = await oneShot(b.baseUrl, {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': from },
      body: { email: 'nobody@example.com', password: 'whatever it is' },
    });
    expect(login.status).toBe(429);
    reportFigures(context, {
      instances: 2,
      notes: {
        'calls let through (A+B)': `${Math.ceil(RATE_LIMIT_AUTH / 2)}+${Math.floor(RATE_LIMIT_AUTH / 2)}`,
        'next call on either': 429,
      },
    });
  });
});

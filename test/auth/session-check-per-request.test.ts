import { buildApp, loadConfig } from '@ums/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET } from '../support/app.ts';
import { createTestDb, type TestDb } from '../support/db.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

// The session is checked against the database on every HTTP request — once per request: the calls of a tRPC batch
// share one check, and `me.get` answers from it without a query of its own. The check also records the session's
// lastUsedAt, at most once a minute.

let db: TestDb;
let app: FastifyInstance;
let alice: SignedIn;
let sessionChecks = 0;
let queries = 0;
const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_AUTH: '0' });

/**
 * The real database, counting queries and the session checks among them (the only query naming `sessions s`), on
 * both ways in: Prisma's raw queries and the handle's own `query` and `execute`.
 */
function counting(database: TestDb): TestDb {
  const count = (text: string) => {
    // The outbox dispatcher polls on its own schedule, whatever the requests do: not a request's query.
    if (/\boutbox\b/.test(text)) return;
    queries += 1;
    if (text.includes('FROM sessions s')) sessionChecks += 1;
  };
  const prisma = new Proxy(database.prisma, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== '$queryRaw' || typeof value !== 'function') return value;
      return (strings: TemplateStringsArray, ...values: unknown[]) => {
        count(strings.join('?'));
        return value.call(target, strings, ...values);
      };
    },
  });
  return {
    ...database,
    prisma,
    query: (statement) => {
      count(statement.text);
      return database.query(statement);
    },
    execute: (statement) => {
      count(statement.text);
      return database.execute(statement);
    },
  };
}

beforeAll(async () => {
  db = await createTestDb();
  alice = await createSignedInUser(db.prisma, config, { fullName: 'Alice' });
  app = await buildApp(config, { db: counting(db) });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});
beforeEach(() => {
  sessionChecks = 0;
  queries = 0;
});

const batchOf = (count: number) =>
  `/trpc/${Array.from({ length: count }, () => 'me.get').join(',')}?batch=1&input=${encodeURIComponent('{}')}`;

describe('the session check', () => {
  it('GET /users/me costs one query: the session check that also reads the profile', async () => {
    const res = await app.inject({ url: '/api/v1/users/me', headers: alice.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: alice.id,
      fullName: 'Alice',
      roles: ['user'],
      permissions: expect.arrayContaining(['user:read']),
    });
    expect(sessionChecks).toBe(1);
    expect(queries).toBe(1);
  });

  it('runs once for a batch of five calls, and each call gets the answer', async () => {
    const res = await app.inject({ url: batchOf(5), headers: alice.headers });
    expect(res.statusCode).toBe(200);
    const results = res.json() as { result: { data: { id: string } } }[];
    expect(results.map((item) => item.result.data.id)).toEqual(Array(5).fill(alice.id));
    expect(sessionChecks).toBe(1);
  });

  it('runs again for the next request: a session revoked in between is refused', async () => {
    expect((await app.inject({ url: batchOf(2), headers: alice.headers })).statusCode).toBe(200);
    await db.prisma.userSession.update({ where: { id: alice.sessionId }, data: { revokedAt: new Date(), revokedReason: 'test' } });
    const res = await app.inject({ url: batchOf(3), headers: alice.headers });
    expect(res.statusCode).toBe(401);
    expect((res.json() as { error: { data: { code: string } } }[]).map((item) => item.error.data.code)).toEqual(
      Array(3).fill('UNAUTHORIZED'),
    );
    expect(sessionChecks).toBe(2);
  });
});

describe("a session's lastUsedAt", () => {
  it('moves when a request comes after a minute of silence, not on every request', async () => {
    const user = await createSignedInUser(db.prisma, config);
    const lastUsedAt = async () =>
      (await db.prisma.userSession.findUniqueOrThrow({ where: { id: user.sessionId }, select: { lastUsedAt: true } })).lastUsedAt.getTime();

    const recent = await lastUsedAt();
    expect((await app.inject({ url: '/api/v1/users/me', headers: user.headers })).statusCode).toBe(200);
    expect(await lastUsedAt()).toBe(recent);

    const idle = new Date(Date.now() - 2 * 60_000);
    await db.prisma.userSession.update({ where: { id: user.sessionId }, data: { lastUsedAt: idle } });
    const before = Date.now();
    expect((await app.inject({ url: '/api/v1/users/me', headers: user.headers })).statusCode).toBe(200);
    expect(await lastUsedAt()).toBeGreaterThanOrEqual(before - 1000);
  });
});

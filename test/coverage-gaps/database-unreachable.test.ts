import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '@ums/db';
import { buildApp, loadConfig } from '@ums/server';
import { createTokenService } from '@ums/server/src/modules/auth/tokens.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET } from '../support/app.ts';
import { freePort } from '../support/pg-cluster.ts';

// The app in this process on a PostgreSQL address nobody listens on: the 503 paths, which the process-level
// outage tests exercise in a child process where coverage cannot see them.

let db: Db;
let app: FastifyInstance;
const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_AUTH: '0' });

beforeAll(async () => {
  db = await createDb(`postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`, { poolSize: 1 });
  app = await buildApp(config, { db });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('the database is unreachable', () => {
  it('GET /health answers 503 with db "down"', async () => {
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'degraded', db: 'down' });
  });

  it('a signed-in call answers 503 SERVICE_UNAVAILABLE on both transports, fast', async () => {
    const token = createTokenService(config).signAccessToken({ userId: randomUUID(), sessionId: randomUUID() });
    const headers = { authorization: `Bearer ${token}` };
    const started = performance.now();
    const rest = await app.inject({ url: '/api/v1/users/me', headers });
    const trpc = await app.inject({ url: '/trpc/me.get', headers });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(rest.statusCode).toBe(503);
    expect(rest.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(trpc.statusCode).toBe(503);
    expect(trpc.json().error.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
  });
});

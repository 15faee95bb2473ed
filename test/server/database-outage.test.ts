import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '@ums/db';
import { buildApp, loadConfig } from '@ums/server';
import { createTokenService } from '@ums/server/src/modules/auth/tokens.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET } from '../support/app.ts';
import { rest, trpc } from '../support/client.ts';
import { freePort } from '../support/free-port.ts';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';
import { startStartingUpPostgres } from '../support/starting-postgres.ts';

// A database the service cannot use is answered 503, fast, and never a 500 or a hang: stopped under the running
// service process, unreachable from the start, or still starting up. The last two run the app in this process, where
// coverage sees the 503 paths.

const JWT_SECRET = 'outage-test-secret-0123456789abcdef';
const inProcessConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_AUTH: '0' });
/** The headers of a well-signed token: the server must check its session in the database. */
const signedIn = () => ({
  authorization: `Bearer ${createTokenService(inProcessConfig).signAccessToken({ userId: randomUUID(), sessionId: randomUUID() })}`,
});

describe('PostgreSQL outage under a running server', () => {
  let cluster: PgCluster;
  let server: ServerProcess;

  beforeAll(async () => {
    cluster = await startPgCluster();
    server = spawnServer({ DATABASE_URL: cluster.url, PORT: String(await freePort()), JWT_SECRET });
    await waitForHealth(server.baseUrl);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    cluster?.destroy();
  });

  it('answers 503 on /health while the database is down and recovers without a restart', async () => {
    cluster.stop();
    const downIn = await waitForHealth(server.baseUrl, { status: 503, timeoutMs: 10_000 });
    const down = await fetch(`${server.baseUrl}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'degraded', db: 'down' });

    // A well-signed token makes the server check its session in the database: that must fail fast with 503.
    const token = createTokenService(loadConfig({ JWT_SECRET })).signAccessToken({ userId: randomUUID(), sessionId: randomUUID() });
    const started = performance.now();
    const api = await fetch(`${server.baseUrl}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(performance.now() - started).toBeLessThan(5000);

    cluster.start();
    const upIn = await waitForHealth(server.baseUrl, { status: 200, timeoutMs: 15_000 });
    expect(server.child.exitCode).toBeNull();
    console.log(`database outage: /health 503 after ${Math.round(downIn)} ms, 200 again ${Math.round(upIn)} ms after restart`);
  }, 60_000);
});

describe('the database is unreachable', () => {
  let db: Db;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await createDb(`postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`, { poolSize: 1 });
    app = await buildApp(inProcessConfig, { db });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('GET /health answers 503 with db "down"', async () => {
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'degraded', db: 'down' });
  });

  it('a signed-in call answers 503 SERVICE_UNAVAILABLE on both transports, fast', async () => {
    const headers = signedIn();
    const started = performance.now();
    const overRest = await rest(app, 'GET', '/users/me', { headers });
    const overTrpc = await trpc(app, 'query', 'me.get', { headers });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(overRest.statusCode).toBe(503);
    expect(overRest.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(overTrpc.statusCode).toBe(503);
    expect(overTrpc.json().error.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
  });
});

describe('PostgreSQL still starting up (SQLSTATE 57P03)', () => {
  // After a crash or restart PostgreSQL accepts connections before it accepts sessions, refusing them with 57P03:
  // unavailable, like a database that is down (D7 in docs/security.md).
  it('a signed-in request while the database is starting up gets 503', async () => {
    const starting = await startStartingUpPostgres();
    const db = await createDb(starting.url, { poolSize: 1 });
    const app = await buildApp(inProcessConfig, { db });
    try {
      const res = await rest(app, 'GET', '/users/me', { headers: signedIn() });
      expect(res.statusCode, res.body).toBe(503);
    } finally {
      await app.close();
      await db.close();
      await starting.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { loadConfig } from '@ums/server';
import { createTokenService } from '@ums/server/src/modules/auth/tokens.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type PgCluster, startPgCluster } from '../support/pg-cluster.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';

const JWT_SECRET = 'outage-test-secret-0123456789abcdef';
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

describe('PostgreSQL outage under a running server', () => {
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

import { Prisma } from '@ums/db';
import { createLifecycle } from '@ums/server';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

// The probes an orchestrator uses (README, "Probes"): liveness never asks the database; readiness asks it, checks
// the migrations, and turns 503 the moment a shutdown begins. /health keeps its contract (API.md).

const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

describe('health probes', () => {
  it('GET /health/live, /health/ready and /health answer 200 on a current database', async () => {
    const t = await createTestApp();
    apps.push(t);
    const live = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect([live.statusCode, live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready', db: 'ok', migrations: 'ok' }]);
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect([health.statusCode, health.json()]).toEqual([200, { status: 'ok', db: 'ok' }]);
  });

  it('readiness is 503 "draining" once a shutdown begins, liveness stays 200, and every response closes its connection', async () => {
    const lifecycle = createLifecycle();
    const t = await createTestApp({}, { lifecycle });
    apps.push(t);
    const before = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(before.statusCode).toBe(200);
    expect(before.headers.connection).not.toBe('close');

    lifecycle.beginDrain();
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect([ready.statusCode, ready.json()]).toEqual([503, { status: 'draining' }]);
    expect(ready.headers.connection).toBe('close');
    const live = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect([live.statusCode, live.headers.connection]).toEqual([200, 'close']);
    const catalog = await t.app.inject({ method: 'GET', url: '/api/v1/settings/catalog' });
    expect(catalog.headers.connection).toBe('close');
  });

  it('readiness is 503 naming a migration the database has not applied', async () => {
    const t = await createTestApp();
    apps.push(t);
    const [latest] = await t.db.query<{ migration_name: string }>(
      Prisma.sql`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`,
    );
    if (!latest) throw new Error('the test database has no applied migrations');
    await t.db.execute(Prisma.sql`DELETE FROM _prisma_migrations WHERE migration_name = ${latest.migration_name}`);

    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect([ready.statusCode, ready.json()]).toEqual([
      503,
      { status: 'not ready', db: 'ok', migrations: 'pending', pending: [latest.migration_name] },
    ]);
    // Liveness does not care: restarting the process would not apply the migration.
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

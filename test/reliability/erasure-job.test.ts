import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createDb, type Db } from '@ums/db';
import { buildApp, loadConfig, type ServerConfig } from '@ums/server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest } from '../support/client.ts';
import { until } from '../support/until.ts';
import { createSignedInUser } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { createReliabilityDatabase } from './support/postgres.ts';

// The grace-period erasure (me.delete) is an outbox message: two instances on one PostgreSQL database, both
// polling every 20 ms, run each scheduled erasure exactly once.

const USERS = 24;

let url: string;
const dbs: Db[] = [];
const apps: FastifyInstance[] = [];
let config: ServerConfig;

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

beforeAll(async () => {
  url = await createReliabilityDatabase();
  config = loadConfig({
    DATABASE_URL: url,
    JWT_SECRET: 'reliability-erasure-secret-0123456789abcdef',
    ENCRYPTION_KEY: 'reliability-erasure-encryption-key-0123456789',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ums-erasure-')),
    RATE_LIMIT_AUTH: '0',
    OUTBOX_POLL_MS: '50',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
  });
  for (let i = 0; i < 2; i += 1) {
    const db = await createDb(url, { poolSize: 4 });
    dbs.push(db);
    const app = await buildApp(config, { db, logStream: quiet });
    await app.ready();
    apps.push(app);
  }
}, 120_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const db of dbs) await db.close();
});

describe('the grace-period erasure job with two instances', () => {
  it('erases every account whose grace period ended, each exactly once', async (context) => {
    const [db] = dbs as [Db];
    const users = await Promise.all(
      Array.from({ length: USERS }, (_, i) => createSignedInUser(db.prisma, config, { fullName: `Leaving ${i}` })),
    );
    for (const [i, user] of users.entries()) {
      const res = await rest(apps[i % 2]!, 'POST', '/users/me/delete', { headers: user.headers, body: { currentPassword: user.password } });
      expect(res.statusCode, res.body).toBe(202);
    }
    const ids = users.map((user) => user.id);
    // The grace period ends for all of them at once: both instances find them due on their next poll.
    const started = Date.now();
    await db.prisma.outboxMessage.updateMany({ where: { kind: 'user.erasure' }, data: { availableAt: new Date() } });
    await until(
      async () => (await db.prisma.outboxMessage.count({ where: { kind: 'user.erasure', status: 'sent' } })) === USERS,
      'every erasure done',
      30_000,
    );
    const tookMs = Date.now() - started;

    expect(await db.prisma.user.count({ where: { id: { in: ids }, erasedAt: { not: null }, fullName: null } })).toBe(USERS);
    const events = await db.prisma.auditEvent.groupBy({
      by: ['targetId'],
      where: { action: 'user.erased', targetId: { in: ids } },
      _count: true,
    });
    expect(events).toHaveLength(USERS);
    expect(events.every((event) => event._count === 1)).toBe(true);
    const rows = await db.prisma.outboxMessage.findMany({ where: { kind: 'user.erasure' }, select: { attempts: true, status: true } });
    // Each message was claimed once: no instance ran one the other held.
    expect(rows.map((row) => row.attempts)).toEqual(Array(USERS).fill(1));

    reportFigures(context, { instances: 2, notes: { erasures: USERS, 'all done in (ms)': tookMs } });
  });
});

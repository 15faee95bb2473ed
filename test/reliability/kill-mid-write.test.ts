import { createDb, type Db } from '@ums/db';
import { loadConfig } from '@ums/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { oneShot } from './support/one-shot-http.ts';
import { createReliabilityDatabase } from './support/postgres.ts';
import { checkWrites, expectNoLostOrHalfWrites } from './support/write-audit.ts';
import { isAcknowledged, startWriteLoad, until } from './support/write-load.ts';

// kill -9 of the server process while many users write their profile, settings and preferences. Transactions
// cut off mid-way must leave nothing behind: after a restart, every user's versions match their audit events one
// for one (no change without its event, no event without its change), every acknowledged write is there, and the
// restarted server serves the same users' writes again.

const JWT_SECRET = 'reliability-kill-secret-0123456789abcdef';
const WRITERS = 16;

let url: string;
let db: Db;
let server: ServerProcess;
let users: SignedIn[];
const start = async () => {
  server = spawnServer({ DATABASE_URL: url, PORT: String(await freePort()), JWT_SECRET, RATE_LIMIT_AUTH: '0' });
  await waitForHealth(server.baseUrl, { timeoutMs: 90_000 });
};

beforeAll(async () => {
  url = await createReliabilityDatabase();
  db = await createDb(url, { poolSize: 2 });
  const config = loadConfig({ JWT_SECRET });
  users = [];
  for (let i = 0; i < WRITERS; i++) users.push(await createSignedInUser(db.prisma, config));
  await start();
}, 150_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await db?.close();
});

describe('kill -9 in the middle of writes', () => {
  it('leaves no half-written change and loses no acknowledged write', async (context) => {
    const load = startWriteLoad(() => server.baseUrl, users, { kinds: ['profile', 'settings', 'preferences'] });
    await until(() => load.acknowledgedSince(0) >= 150, 30_000, 'a steady load before the kill');
    const inFlightAtKill = load.inFlight();
    server.child.kill('SIGKILL');
    const killed = await server.exited;
    const outcomes = await load.stop();

    await start();
    const check = await checkWrites(
      db.prisma,
      users.map((user) => user.id),
      outcomes,
    );
    expectNoLostOrHalfWrites(check);
    // Every request the process did not answer ended without an answer: nothing was left hanging.
    const unanswered = outcomes.filter((outcome) => !isAcknowledged(outcome));
    for (const outcome of unanswered) expect(['refused', 'reset']).toContain(outcome.result);

    // The sessions survived the crash; each user writes again through the restarted server, at the next version.
    for (const user of users) {
      const before = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { version: true } });
      const res = await oneShot(server.baseUrl, {
        method: 'PUT',
        path: '/api/v1/users/me',
        headers: user.headers,
        body: { bio: 'after the crash' },
      });
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ bio: 'after the crash', version: before.version + 1 });
    }

    reportFigures(context, {
      faultsInjected: 1,
      writesAcknowledged: check.acknowledged,
      writesFound: check.found,
      instances: 1,
      notes: {
        signal: killed === null ? 'SIGKILL' : `exit ${killed}`,
        'requests in flight at the kill': inFlightAtKill,
        'writes attempted': outcomes.length,
        'unanswered writes': unanswered.length,
        'users checked': users.length,
        'half-written changes': check.halfWritten.length,
      },
    });
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, type Db } from '@ums/db';
import { loadConfig } from '@ums/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { withDatabase } from '../support/global-setup.ts';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { makeCommitsDurable } from './support/postgres.ts';
import { checkWrites, expectNoLostOrHalfWrites } from './support/write-audit.ts';
import { isAcknowledged, startWriteLoad, until } from './support/write-load.ts';

// PostgreSQL is stopped the hard way (`pg_ctl stop -m immediate`, like a crash) under a steady write load from
// many users through the real server process, then started again. Whatever the service answered during the outage,
// it answered fast and with 503; it came back by itself; and every write it acknowledged is in the database.

const JWT_SECRET = 'reliability-outage-secret-0123456789abcdef';
const WRITERS = 16;
const OUTAGE_MS = 4000;
/** "Fail fast": well under the 10 s a client would wait, and bounded by the pool's 3 s connect timeout. */
const FAST_MS = 5000;

/** The server's error log line (level 50) for a request, if it wrote one. */
function errorLogged(output: string, requestId: string | null): string {
  if (!requestId) return '';
  return output.split('\n').find((line) => line.includes('"level":50') && line.includes(requestId)) ?? '';
}

let cluster: PgCluster;
let server: ServerProcess;
let db: Db | undefined;
let users: SignedIn[];

beforeAll(async () => {
  // A cluster of its own: this file stops it, and no other file's database may go down with it.
  cluster = await startPgCluster();
  await makeCommitsDurable(withDatabase(cluster.url, 'postgres'));
  server = spawnServer({ DATABASE_URL: cluster.url, PORT: String(await freePort()), JWT_SECRET, RATE_LIMIT_AUTH: '0' });
  await waitForHealth(server.baseUrl, { timeoutMs: 90_000 });
  db = await createDb(cluster.url, { poolSize: 2 });
  const config = loadConfig({ JWT_SECRET });
  users = [];
  for (let i = 0; i < WRITERS; i++) users.push(await createSignedInUser(db.prisma, config));
  // The test's own connections must not ride through the outage: it reconnects afterwards.
  await db.close();
  db = undefined;
}, 150_000);

afterAll(async () => {
  await db?.close();
  await server?.stop();
  cluster?.destroy();
});

describe('PostgreSQL stopped under a steady write load', () => {
  it('fails fast with 503, recovers by itself, and loses no acknowledged write', async (context) => {
    const load = startWriteLoad(() => server.baseUrl, users, { kinds: ['profile', 'settings', 'preferences'] });
    await until(() => load.acknowledgedSince(0) >= 100, 30_000, 'a steady load before the outage');

    const stoppedAt = performance.now();
    cluster.stop();
    await sleep(OUTAGE_MS);
    const startedAt = performance.now();
    // Synchronous: pg_ctl returns once PostgreSQL accepts connections again; the server is not told anything.
    cluster.start();
    const recoveryMs = await until(() => load.acknowledgedSince(startedAt) > 0, 30_000, 'writes succeeding again');
    const recoveredAt = performance.now();
    await until(() => load.acknowledgedSince(recoveredAt) >= 50, 30_000, 'a steady load after the outage');
    const outcomes = await load.stop();

    expect(server.child.exitCode, `the server exited:\n${server.output().slice(-2000)}`).toBeNull();
    const failures = outcomes.filter((outcome) => !isAcknowledged(outcome));
    const during = outcomes.filter((outcome) => outcome.startedAt >= stoppedAt && outcome.endedAt <= startedAt);
    // Every refusal is the contract's "database down" answer: no 500 (not even while PostgreSQL is still starting
    // up, D7, fixed), no hang, no dropped connection.
    const output = server.output();
    const unexpected = failures.filter((outcome) => outcome.result !== 503);
    expect(
      unexpected.map((outcome) => `${outcome.result} ${errorLogged(output, outcome.requestId).slice(0, 600)}`),
      'refusals other than 503',
    ).toEqual([]);
    expect(during.length, 'requests were answered while the database was down').toBeGreaterThan(0);
    const slowestFailure = Math.max(...failures.map((outcome) => outcome.endedAt - outcome.startedAt));
    expect(slowestFailure).toBeLessThan(FAST_MS);

    db = await createDb(cluster.url, { poolSize: 2 });
    const check = await checkWrites(
      db.prisma,
      users.map((user) => user.id),
      outcomes,
    );
    expectNoLostOrHalfWrites(check);

    reportFigures(context, {
      faultsInjected: 1,
      writesAcknowledged: check.acknowledged,
      writesFound: check.found,
      instances: 1,
      notes: {
        'database down ms': Math.round(startedAt - stoppedAt),
        'writes attempted': outcomes.length,
        '503 answers': failures.length,
        'slowest 503 ms': Math.round(slowestFailure),
        'recovered ms after restart': Math.round(recoveryMs),
        'half-written changes': check.halfWritten.length,
      },
    });
  });
});

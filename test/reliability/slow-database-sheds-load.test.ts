import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDb } from '@ums/db';
import { loadConfig } from '@ums/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { NoAnswerError, oneShot } from './support/one-shot-http.ts';
import { createReliabilityDatabase } from './support/postgres.ts';
import { type HeldLock, holdLock } from './support/row-lock.ts';

// The `users` table locked for 15 s by another session (LOCK TABLE … ACCESS EXCLUSIVE, as a careless migration
// would) under an open-loop load of 100 requests a second from keep-alive clients (issue 25, item 4). Every
// request needs that table (the session check reads it). The service sheds the load instead of piling it up:
// requests in flight stay bounded by the pool plus DB_MAX_WAITING, requests past the bound get 503 at once,
// those that waited get 503 when the lock timeout fires, /health/live answers 200 throughout, and the first
// request after the lock is released succeeds within 1 s.

const JWT_SECRET = 'reliability-shed-secret-0123456789abcdef';
const POOL = 4;
const MAX_WAITING = 16;
const RATE_PER_SECOND = 100;
const LOCK_MS = 15_000;
/** Answers counted as "at once": well under any database limit. */
const FAST_MS = 250;

let server: ServerProcess;
let users: SignedIn[];
let url: string;
let lock: HeldLock | undefined;

beforeAll(async () => {
  url = await createReliabilityDatabase();
  const db = await createDb(url, { poolSize: 2 });
  const config = loadConfig({ JWT_SECRET });
  users = [];
  for (let i = 0; i < 20; i++) users.push(await createSignedInUser(db.prisma, config));
  await db.close();
  server = spawnServer({
    DATABASE_URL: url,
    PORT: String(await freePort()),
    JWT_SECRET,
    DB_POOL_SIZE: String(POOL),
    DB_MAX_WAITING: String(MAX_WAITING),
  });
  await waitForHealth(server.baseUrl, { timeoutMs: 90_000 });
}, 150_000);

afterAll(async () => {
  await lock?.release();
  await server?.stop();
});

interface Outcome {
  startedAt: number;
  endedAt: number;
  result: number | string;
  retryAfter: boolean;
}

describe('a table locked for 15 s under load', () => {
  it('keeps requests in flight bounded, answers 503 at once past the bound, stays live, and recovers within 1 s', async (context) => {
    const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
    const outcomes: Outcome[] = [];
    let inFlight = 0;
    let peak = 0;
    let sent = 0;
    const pending = new Set<Promise<void>>();
    const sendOne = () => {
      const user = users[sent++ % users.length] as SignedIn;
      const startedAt = performance.now();
      inFlight++;
      peak = Math.max(peak, inFlight);
      const request = oneShot(server.baseUrl, { path: '/api/v1/users/me', headers: user.headers, agent, timeoutMs: 30_000 })
        .then(
          (res) => ({ result: res.status, retryAfter: res.retryAfter !== null }),
          (error: unknown) => ({ result: error instanceof NoAnswerError ? error.kind : String(error), retryAfter: false }),
        )
        .then(({ result, retryAfter }) => {
          inFlight--;
          outcomes.push({ startedAt, endedAt: performance.now(), result, retryAfter });
        });
      pending.add(request);
      void request.finally(() => pending.delete(request));
    };
    // Open loop: the next request goes out on time whether or not the earlier ones were answered.
    const loadStartedAt = performance.now();
    const load = setInterval(() => {
      const due = Math.floor(((performance.now() - loadStartedAt) / 1000) * RATE_PER_SECOND);
      while (sent < due) sendOne();
    }, 10);
    const live: { ms: number; status: number | string }[] = [];
    let probing = true;
    const probes = (async () => {
      while (probing) {
        const started = performance.now();
        const status = await oneShot(server.baseUrl, { path: '/health/live', timeoutMs: 5000 }).then(
          (res) => res.status,
          (error: unknown) => (error instanceof NoAnswerError ? error.kind : String(error)),
        );
        live.push({ ms: performance.now() - started, status });
        await sleep(250);
      }
    })();

    await sleep(2000);
    const lockedAt = performance.now();
    lock = await holdLock(url, 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    await sleep(LOCK_MS);
    await lock.release();
    const releasedAt = performance.now();
    await sleep(3000);
    clearInterval(load);
    probing = false;
    await probes;
    await Promise.all(pending);
    agent.destroy();

    const during = outcomes.filter((o) => o.startedAt >= lockedAt && o.endedAt <= releasedAt);
    const duringLock = outcomes.filter((o) => o.startedAt >= lockedAt && o.startedAt < releasedAt);
    const fast503 = during.filter((o) => o.result === 503 && o.endedAt - o.startedAt < FAST_MS);
    const statuses = Object.fromEntries(
      [...new Set(outcomes.map((o) => String(o.result)))].map((result) => [
        result,
        outcomes.filter((o) => String(o.result) === result).length,
      ]),
    );
    const firstAfter = outcomes.filter((o) => o.startedAt >= releasedAt && o.result === 200).sort((a, b) => a.endedAt - b.endedAt)[0];
    const recoveryMs = firstAfter ? firstAfter.endedAt - releasedAt : Number.POSITIVE_INFINITY;
    const slowest = Math.max(...outcomes.map((o) => o.endedAt - o.startedAt));

    expect(
      outcomes.filter((o) => o.result !== 200 && o.result !== 503),
      'every answer is 200 or 503 (no 500, no dropped connection)',
    ).toEqual([]);
    expect(
      duringLock.filter((o) => o.result === 503 && !o.retryAfter),
      'every 503 says when to retry',
    ).toEqual([]);
    // Counted by the client: the pool's connections, the bounded queue, and requests on their way in or out — 22–30
    // on a quiet machine, 147 once at a load average of 8 on two cores (answers themselves delayed). Without the
    // bound and the timeouts the same load reached 1019: the limit is 2 s worth of requests.
    expect(peak, 'requests in flight at most').toBeLessThanOrEqual(2 * RATE_PER_SECOND);
    expect(fast503.length, '503s answered at once past the bound').toBeGreaterThan(during.length / 2);
    // At worst the pool wait (5 s) and then the lock timeout (3 s): far from waiting out the 15 s lock.
    expect(slowest, 'no request waits out the lock').toBeLessThan(10_000);
    expect(live.map((probe) => probe.status).filter((status) => status !== 200)).toEqual([]);
    expect(recoveryMs, 'the first success after the release').toBeLessThan(1000);

    reportFigures(context, {
      faultsInjected: 1,
      instances: 1,
      notes: {
        requests: outcomes.length,
        ...Object.fromEntries(Object.entries(statuses).map(([result, n]) => [`answered ${result}`, n])),
        'started during the lock': duringLock.length,
        [`503 within ${FAST_MS} ms during the lock`]: fast503.length,
        'in-flight peak': peak,
        'slowest ms': Math.round(slowest),
        '/health/live probes (all 200)': live.length,
        'slowest /health/live ms': Math.round(Math.max(...live.map((probe) => probe.ms))),
        'first 200 after release ms': Math.round(recoveryMs),
      },
    });
  });
});

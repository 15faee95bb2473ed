import { createDb, type Db } from '@ums/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';
import { createUser, TEST_PASSWORD, type TestUser } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { NoAnswerError, type OneShotAnswer, oneShot } from './support/one-shot-http.ts';
import { createReliabilityDatabase } from './support/postgres.ts';
import { until } from './support/write-load.ts';

// SIGTERM while sign-ins are being served: each one hashes a password and writes a session and an audit event,
// slow enough to be caught in flight. Those the server had received finish normally; requests made once it has
// begun shutting down are refused; the process exits 0 within 10 s.

const JWT_SECRET = 'reliability-sigterm-secret-0123456789abcdef';
const IN_FLIGHT = 24;
const LATE = 12;
const EXIT_WITHIN_MS = 10_000;

let url: string;
let db: Db;
let server: ServerProcess;
let users: TestUser[];

beforeAll(async () => {
  url = await createReliabilityDatabase();
  db = await createDb(url, { poolSize: 2 });
  users = [];
  for (let i = 0; i < IN_FLIGHT; i++) users.push(await createUser(db.prisma));
  // `debug`: the server logs each request as it arrives, which tells the test which requests are in flight.
  server = spawnServer({ DATABASE_URL: url, PORT: String(await freePort()), JWT_SECRET, RATE_LIMIT_AUTH: '0', LOG_LEVEL: 'debug' });
  await waitForHealth(server.baseUrl, { timeoutMs: 90_000 });
}, 150_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await db?.close();
});

const received = (path: string) =>
  server
    .output()
    .split('\n')
    .filter((line) => line.includes('incoming request') && line.includes(`"url":"${path}"`)).length;

type Ending = number | 'refused' | 'reset' | 'timeout';
const ending = (request: Promise<OneShotAnswer>): Promise<Ending> =>
  request.then(
    (answer) => answer.status,
    (error: unknown) => {
      if (error instanceof NoAnswerError) return error.kind;
      throw error;
    },
  );

describe('SIGTERM under load', () => {
  it('finishes the requests in flight, refuses new ones, and exits 0 within 10 s', async (context) => {
    let answered = 0;
    const logins = users.map((user) =>
      ending(
        oneShot(server.baseUrl, {
          method: 'POST',
          path: '/api/v1/auth/login',
          body: { email: user.email, password: TEST_PASSWORD },
          timeoutMs: 30_000,
        }),
      ).finally(() => answered++),
    );
    await until(() => received('/api/v1/auth/login') >= IN_FLIGHT, 20_000, 'every sign-in received by the server');

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    const unansweredAtSignal = IN_FLIGHT - answered;
    await until(() => server.output().includes('shutting down'), 5000, 'the server starting its shutdown');
    const late = await Promise.all(
      Array.from({ length: LATE }, () => ending(oneShot(server.baseUrl, { path: '/api/v1/settings/catalog', timeoutMs: 5000 }))),
    );
    const code = await server.exited;
    const exitMs = performance.now() - signalledAt;
    const inFlight = await Promise.all(logins);

    expect(unansweredAtSignal, 'sign-ins still being served when the signal came').toBeGreaterThan(0);
    expect(inFlight, 'requests in flight at SIGTERM').toEqual(users.map(() => 200));
    // Each finished sign-in committed its session and its audit event before the process left.
    const userIds = users.map((user) => user.id);
    const sessions = await db.prisma.userSession.count({ where: { userId: { in: userIds } } });
    expect(sessions).toBe(IN_FLIGHT);
    expect(await db.prisma.auditEvent.count({ where: { targetId: { in: userIds }, action: 'auth.login' } })).toBe(IN_FLIGHT);
    for (const result of late) expect(['refused', 'reset', 503]).toContain(result);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(EXIT_WITHIN_MS);

    reportFigures(context, {
      faultsInjected: 1,
      writesAcknowledged: inFlight.filter((result) => result === 200).length,
      writesFound: sessions,
      instances: 1,
      notes: {
        'received before SIGTERM': IN_FLIGHT,
        'unanswered at SIGTERM': unansweredAtSignal,
        'finished 200': inFlight.filter((result) => result === 200).length,
        'new requests: connection refused': late.filter((result) => result === 'refused').length,
        'connection closed': late.filter((result) => result === 'reset').length,
        '503 answers': late.filter((result) => result === 503).length,
        'exit code': String(code),
        'exit ms': Math.round(exitMs),
      },
    });
  });
});

import { DEFAULT_DB_LIMITS, isDatabaseUnavailable } from '@ums/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.ts';

// Under a burst every connection can stay busy longer than a transaction may wait for one. That is the
// database being saturated — the caller should retry (503) — not a bug in the service (500).

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

describe('a transaction that cannot get a connection', () => {
  it('gives up after the pool wait (DB_POOL_WAIT, 5 s) with an error classed as "database unavailable" (503)', async () => {
    // The test database's pool has 5 connections; PGlite runs one transaction at a time.
    const holders = db.kind === 'postgres' ? 5 : 1;
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const held = Array.from({ length: holders }, () =>
      db.prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT 1`;
          started += 1;
          await released;
        },
        { timeout: 30_000 },
      ),
    );
    while (started < holders) await new Promise((resolve) => setTimeout(resolve, 20));

    const waitedFrom = performance.now();
    const error = await db.prisma
      .$transaction(async (tx) => tx.$executeRaw`SELECT 1`)
      .then(
        () => null,
        (cause: unknown) => cause,
      );
    const waitedMs = performance.now() - waitedFrom;
    release();
    await Promise.all(held);

    expect(error).toMatchObject({ code: 'P2028' });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(waitedMs).toBeGreaterThan(DEFAULT_DB_LIMITS.poolWaitMs - 500);
    expect(waitedMs).toBeLessThan(DEFAULT_DB_LIMITS.poolWaitMs + 3000);
  }, 30_000);
});

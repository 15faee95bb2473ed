import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { trpc, trpcError } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { type HeldLock, holdUserRow } from './support/row-lock.ts';

// A user's row locked by another session for longer than every limit (issue 25, item 3): whichever limit fires —
// the lock timeout, the statement timeout, Prisma's transaction timeout, the pool wait, the bound on the pool's
// queue — the caller gets 503 with Retry-After, never a 500, and nothing of the write is in the database, not
// even after the lock is released.

const FAST_LIMITS = { DB_LOCK_TIMEOUT: '60s', DB_STATEMENT_TIMEOUT: '60s', DB_TRANSACTION_TIMEOUT: '60s' };

let t: TestApp | undefined;
let locks: HeldLock[] = [];
afterEach(async () => {
  for (const lock of locks) await lock.release();
  locks = [];
  await t?.close();
  t = undefined;
});

async function appWith(env: Record<string, string>): Promise<{ t: TestApp; url: string }> {
  t = await createTestApp({ ...FAST_LIMITS, ...env });
  if (!t.db.url) throw new Error('the reliability suite runs on PostgreSQL');
  return { t, url: t.db.url };
}

const updateProfile = (app: TestApp, user: SignedIn, fullName: string) =>
  app.app.inject({ method: 'PUT', url: '/api/v1/users/me', headers: user.headers, payload: { fullName } });

const profileOf = (app: TestApp, user: SignedIn) =>
  app.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { fullName: true, version: true, updatedAt: true } });

/** The write left no trace: the profile as it was before (`before`), no audit event of it. */
async function expectNothingWritten(app: TestApp, user: SignedIn, before: Awaited<ReturnType<typeof profileOf>>) {
  // Let a statement that was blocked behind the lock run, and its transaction roll back.
  await sleep(500);
  expect(await profileOf(app, user)).toEqual(before);
  expect(await app.db.prisma.auditEvent.count({ where: { targetId: user.id, action: 'user.profile_updated' } })).toBe(0);
}

function expect503(res: Awaited<ReturnType<typeof updateProfile>>) {
  expect(res.statusCode, res.body).toBe(503);
  expect(res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  expect(res.headers['retry-after']).toBe('2');
}

describe('a user row locked longer than the database limits', () => {
  it.for([
    ['lock_timeout (DB_LOCK_TIMEOUT)', { DB_LOCK_TIMEOUT: '500ms' }],
    ['statement_timeout (DB_STATEMENT_TIMEOUT)', { DB_STATEMENT_TIMEOUT: '500ms' }],
  ] as const)('%s → 503 with Retry-After, nothing written', async ([name, env], context) => {
    const { t, url } = await appWith(env);
    const user = await createSignedInUser(t.db.prisma, t.config);
    const before = await profileOf(t, user);
    locks.push(await holdUserRow(url, user.id));
    const started = performance.now();
    const res = await updateProfile(t, user, 'Written Anyway');
    const ms = performance.now() - started;
    expect503(res);
    expect(ms).toBeLessThan(5000);
    // The same over tRPC: its status, the header, and the wait in the error's data.
    const call = await trpc(t.app, 'mutation', 'me.update', { headers: user.headers, input: { fullName: 'Written Anyway' } });
    expect(call.statusCode).toBe(503);
    expect(call.headers['retry-after']).toBe('2');
    expect(trpcError(call).data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 2 });
    await locks[0]?.release();
    await expectNothingWritten(t, user, before);
    reportFigures(context, {
      faultsInjected: 1,
      writesAcknowledged: 0,
      writesFound: 0,
      notes: { limit: name, 'answered 503 after ms': Math.round(ms) },
    });
  });

  it("Prisma's transaction timeout (DB_TRANSACTION_TIMEOUT) → 503 with Retry-After, nothing written after the lock is released", async (context) => {
    const { t, url } = await appWith({ DB_TRANSACTION_TIMEOUT: '1s' });
    const user = await createSignedInUser(t.db.prisma, t.config);
    const before = await profileOf(t, user);
    const lock = await holdUserRow(url, user.id);
    locks.push(lock);
    const started = performance.now();
    const answer = updateProfile(t, user, 'Written Anyway');
    // Released after the transaction's time is up: its blocked statement then runs, inside an expired transaction.
    await sleep(2000);
    await lock.release();
    const res = await answer;
    const ms = performance.now() - started;
    expect503(res);
    await expectNothingWritten(t, user, before);
    reportFigures(context, {
      faultsInjected: 1,
      writesAcknowledged: 0,
      writesFound: 0,
      notes: { 'answered 503 after ms': Math.round(ms) },
    });
  });

  it('the pool wait (DB_POOL_WAIT) and the bound on its queue (DB_MAX_WAITING) → 503 with Retry-After, the bound at once', async (context) => {
    const { t, url } = await appWith({ DB_POOL_SIZE: '1', DB_POOL_WAIT: '1s', DB_MAX_WAITING: '1' });
    let waitedMs = 0;
    const [holder, waiter, refused] = [
      await createSignedInUser(t.db.prisma, t.config),
      await createSignedInUser(t.db.prisma, t.config),
      await createSignedInUser(t.db.prisma, t.config),
    ];
    const [waiterBefore, refusedBefore] = [await profileOf(t, waiter), await profileOf(t, refused)];
    const lock = await holdUserRow(url, holder.id);
    locks.push(lock);
    // The holder's write takes the only connection and waits behind the lock.
    const held = updateProfile(t, holder, 'Holder');
    await sleep(300);
    const waitedAt = performance.now();
    const waited = updateProfile(t, waiter, 'Written Anyway').finally(() => {
      waitedMs = performance.now() - waitedAt;
    });
    await sleep(100);
    const refusedAt = performance.now();
    const refusedRes = await updateProfile(t, refused, 'Written Anyway');
    const refusedMs = performance.now() - refusedAt;
    const waitedRes = await waited;
    await lock.release();
    const heldRes = await held;

    expect503(refusedRes);
    expect(refusedMs, 'past the bound the answer comes at once').toBeLessThan(500);
    expect503(waitedRes);
    expect(waitedMs, 'a queued request gives up after the pool wait').toBeGreaterThan(900);
    expect(heldRes.statusCode, 'the write that held the connection completes once the lock is gone').toBe(200);
    await expectNothingWritten(t, waiter, waiterBefore);
    await expectNothingWritten(t, refused, refusedBefore);
    reportFigures(context, {
      faultsInjected: 1,
      writesAcknowledged: 1,
      writesFound: 1,
      notes: { 'pool-wait 503 after ms': Math.round(waitedMs), 'queue-full 503 after ms': Math.round(refusedMs) },
    });
  });
});

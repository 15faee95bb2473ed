import { randomUUID } from 'node:crypto';
import { Prisma } from '@ums/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn, TEST_PASSWORD } from '../support/users.ts';

// stats.overview against a known seed. The figures come from counters that triggers keep in the writing
// transactions, so the seed goes in through ordinary inserts (users, factors) and audit events with chosen `at`
// (SQL), and then real API calls must move the counters too.

let t: TestApp;
let admin: SignedIn;
let today: string;

interface Overview {
  users: { total: number; active: number; deactivated: number; verified: number; mfa: number };
  daily: { date: string; signUps: number; signIns: number; failedSignIns: number }[];
}

async function overview(caller: SignedIn = admin): Promise<Overview> {
  const res = await rest(t.app, 'GET', '/stats/overview', { headers: caller.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const dayOf = (body: Overview, date: string) => body.daily.find((day) => day.date === date);

/** The UTC date `offset` days from the database's today. */
const utcDate = (offset: number) => {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + offset)).toISOString().slice(0, 10);
};

/** Audit events of `action`, `count` of them at noon UTC `offset` days from today. */
async function insertEvents(action: string, offset: number, count: number) {
  const at = new Date(`${utcDate(offset)}T12:00:00.000Z`);
  await t.db.prisma.auditEvent.createMany({
    data: Array.from({ length: count }, () => ({ id: randomUUID(), at, action, targetType: 'user', targetId: randomUUID() })),
  });
}

/** The truth, counted the slow way: what the counters must equal. */
async function countedUsers() {
  const [row] = await t.db.prisma.$queryRaw<{ total: number; active: number; verified: number }[]>(Prisma.sql`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE is_active)::int AS active,
           count(*) FILTER (WHERE email_verified_at IS NOT NULL)::int AS verified FROM users`);
  return row!;
}

beforeAll(async () => {
  t = await createTestApp();
  const [row] = await t.db.prisma.$queryRaw<{ today: string }[]>(
    Prisma.sql`SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today`,
  );
  today = row!.today;
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  // 1 admin + 9: 3 of them deactivated, 4 verified (one of them deactivated).
  const users = [];
  for (let i = 0; i < 9; i++) users.push(await createUser(t.db.prisma, { fullName: `Seed ${i}`, isActive: i >= 3 }));
  for (const user of [users[0], users[3], users[4], users[5]]) {
    await t.db.prisma.user.update({ where: { id: user!.id }, data: { emailVerifiedAt: new Date() } });
  }
  // MFA: TOTP confirmed (3), passkey (4), both (5); an unconfirmed TOTP set-up (6) does not count.
  const totp = (userId: string, confirmedAt: Date | null) =>
    t.db.prisma.mfaTotpFactor.create({ data: { userId, sealedSecret: 'sealed', keyId: 'k1', confirmedAt } });
  const passkey = (userId: string) =>
    t.db.prisma.passkey.create({ data: { userId, credentialId: randomUUID(), publicKey: Buffer.from('key'), name: 'Key' } });
  await totp(users[3]!.id, new Date());
  await passkey(users[4]!.id);
  await totp(users[5]!.id, new Date());
  await passkey(users[5]!.id);
  await passkey(users[5]!.id);
  await totp(users[6]!.id, null);
  // The daily seed: today, 5 days ago, 29 days ago (the window's first day) and 30 days ago (outside it).
  await insertEvents('auth.register', 0, 2);
  await insertEvents('auth.login', 0, 7);
  await insertEvents('auth.login_failed', 0, 3);
  await insertEvents('auth.mfa_failed', 0, 4); // recorded beside its auth.login_failed: not counted twice
  await insertEvents('auth.logout', 0, 5); // not a sign-in
  await insertEvents('auth.login', -5, 11);
  await insertEvents('auth.login_failed', -5, 1);
  await insertEvents('auth.register', -29, 4);
  await insertEvents('auth.login', -29, 6);
  await insertEvents('auth.register', -30, 100);
  await insertEvents('auth.login', -30, 100);
});
afterAll(() => t.close());

describe('stats.overview', () => {
  it('counts the seeded users exactly', async () => {
    const body = await overview();
    expect(body.users).toEqual({ total: 10, active: 7, deactivated: 3, verified: 4, mfa: 3 });
    const truth = await countedUsers();
    expect(body.users.total).toBe(truth.total);
    expect(body.users.active).toBe(truth.active);
    expect(body.users.verified).toBe(truth.verified);
  });

  it('has the last 30 UTC days, oldest first, today last, every day present', async () => {
    const body = await overview();
    expect(body.daily.map((day) => day.date)).toEqual(Array.from({ length: 30 }, (_, i) => utcDate(i - 29)));
    expect(dayOf(body, utcDate(0))).toEqual({ date: utcDate(0), signUps: 2, signIns: 7, failedSignIns: 3 });
    expect(dayOf(body, utcDate(-5))).toEqual({ date: utcDate(-5), signUps: 0, signIns: 11, failedSignIns: 1 });
    expect(dayOf(body, utcDate(-29))).toEqual({ date: utcDate(-29), signUps: 4, signIns: 6, failedSignIns: 0 });
    expect(dayOf(body, utcDate(-30))).toBeUndefined();
    const quiet = body.daily.filter((day) => ![utcDate(0), utcDate(-5), utcDate(-29)].includes(day.date));
    expect(quiet).toHaveLength(27);
    for (const day of quiet) expect(day).toEqual({ date: day.date, signUps: 0, signIns: 0, failedSignIns: 0 });
  });

  it('moves with real sign-ups, sign-ins and failed sign-ins through the API', async () => {
    const before = await overview();
    const email = `stats-${randomUUID()}@example.com`;
    const registered = await rest(t.app, 'POST', '/auth/register', { body: { email, password: TEST_PASSWORD, fullName: 'New Person' } });
    expect(registered.statusCode, registered.body).toBe(201);
    const login = await rest(t.app, 'POST', '/auth/login', { body: { email, password: TEST_PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const wrong = await rest(t.app, 'POST', '/auth/login', { body: { email, password: 'not the password at all' } });
    expect(wrong.statusCode).toBe(401);
    const unknown = await rest(t.app, 'POST', '/auth/login', {
      body: { email: `nobody-${randomUUID()}@example.com`, password: TEST_PASSWORD },
    });
    expect(unknown.statusCode).toBe(401);

    const after = await overview();
    const was = dayOf(before, today)!;
    expect(dayOf(after, today)).toEqual({
      date: today,
      signUps: was.signUps + 1,
      signIns: was.signIns + 1,
      failedSignIns: was.failedSignIns + 2,
    });
    expect(after.users).toEqual({ ...before.users, total: before.users.total + 1, active: before.users.active + 1 });
  });

  it('follows deactivation, reactivation, verification and deletion', async () => {
    const target = await createUser(t.db.prisma, { fullName: 'Counted' });
    const start = await overview();

    const deactivated = await rest(t.app, 'DELETE', `/users/${target.id}`, { headers: admin.headers });
    expect(deactivated.statusCode, deactivated.body).toBe(200);
    expect((await overview()).users).toEqual({ ...start.users, active: start.users.active - 1, deactivated: start.users.deactivated + 1 });

    // Deactivating again changes nothing (and must not count twice).
    expect((await rest(t.app, 'DELETE', `/users/${target.id}`, { headers: admin.headers })).statusCode).toBe(200);
    expect((await overview()).users.active).toBe(start.users.active - 1);

    const reactivated = await rest(t.app, 'POST', `/users/${target.id}/reactivate`, { headers: admin.headers });
    expect(reactivated.statusCode, reactivated.body).toBe(200);
    expect((await overview()).users).toEqual(start.users);

    await t.db.prisma.user.update({ where: { id: target.id }, data: { emailVerifiedAt: new Date() } });
    await t.db.prisma.user.update({
      where: { id: target.id },
      data: { emailVerifiedAt: new Date(Date.now() + 1000), fullName: 'Re-verified' },
    });
    expect((await overview()).users).toEqual({ ...start.users, verified: start.users.verified + 1 });

    // MFA moves once per person: an unconfirmed TOTP set-up counts only once confirmed, a second factor adds
    // nothing, and removing one of two leaves the person counted.
    await t.db.prisma.mfaTotpFactor.create({ data: { userId: target.id, sealedSecret: 's', keyId: 'k1' } });
    expect((await overview()).users.mfa).toBe(start.users.mfa);
    await t.db.prisma.mfaTotpFactor.update({ where: { userId: target.id }, data: { confirmedAt: new Date() } });
    expect((await overview()).users.mfa).toBe(start.users.mfa + 1);
    await t.db.prisma.mfaTotpFactor.update({ where: { userId: target.id }, data: { lastUsedStep: 42n } });
    await t.db.prisma.passkey.create({ data: { userId: target.id, credentialId: randomUUID(), publicKey: Buffer.from('k'), name: 'K' } });
    expect((await overview()).users.mfa).toBe(start.users.mfa + 1);
    await t.db.prisma.mfaTotpFactor.delete({ where: { userId: target.id } });
    expect((await overview()).users.mfa).toBe(start.users.mfa + 1);
    await t.db.prisma.passkey.deleteMany({ where: { userId: target.id } });
    expect((await overview()).users.mfa).toBe(start.users.mfa);
    await t.db.prisma.passkey.createMany({
      data: [1, 2, 3].map((n) => ({ userId: target.id, credentialId: randomUUID(), publicKey: Buffer.from('k'), name: `K${n}` })),
    });
    expect((await overview()).users.mfa).toBe(start.users.mfa + 1);

    // A deleted row (cascading its three passkeys) leaves every total it was in, MFA once.
    await t.db.prisma.user.delete({ where: { id: target.id } });
    const end = await overview();
    expect(end.users).toEqual({ ...start.users, total: start.users.total - 1, active: start.users.active - 1 });
    const [mfaTruth] = await t.db.prisma.$queryRaw<{ mfa: number }[]>(Prisma.sql`
      SELECT count(*)::int AS mfa FROM (SELECT user_id FROM mfa_totp_factors WHERE confirmed_at IS NOT NULL UNION SELECT user_id FROM passkeys) s`);
    expect(end.users.mfa).toBe(mfaTruth!.mfa);
    const truth = await countedUsers();
    expect(end.users).toMatchObject({ total: truth.total, active: truth.active, verified: truth.verified });
  });

  it('counts an erased user as deactivated, no longer verified nor with MFA', async () => {
    const target = await createUser(t.db.prisma, { fullName: 'To Erase' });
    await t.db.prisma.user.update({ where: { id: target.id }, data: { emailVerifiedAt: new Date() } });
    await t.db.prisma.passkey.create({ data: { userId: target.id, credentialId: randomUUID(), publicKey: Buffer.from('k'), name: 'K' } });
    const start = await overview();

    const erased = await rest(t.app, 'POST', `/users/${target.id}/erase`, { headers: admin.headers });
    expect(erased.statusCode, erased.body).toBe(200);
    const end = await overview();
    expect(end.users).toEqual({
      total: start.users.total,
      active: start.users.active - 1,
      deactivated: start.users.deactivated + 1,
      verified: start.users.verified - 1,
      mfa: start.users.mfa - 1,
    });
    expect(end.users.total).toBe(end.users.active + end.users.deactivated);
  });

  it('stays exact under concurrent writers spread over the shards', async () => {
    const start = await overview();
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.db.prisma.user.create({
          data: {
            email: `bulk-${i}-${randomUUID()}@example.com`,
            passwordHash: 'x',
            isActive: i % 4 !== 0,
            ...(i % 3 === 0 ? { emailVerifiedAt: new Date() } : {}),
          },
        }),
      ),
    );
    await Promise.all(Array.from({ length: 24 }, () => insertEvents('auth.login', 0, 1)));
    const after = await overview();
    expect(after.users).toEqual({
      ...start.users,
      total: start.users.total + 24,
      active: start.users.active + 18,
      deactivated: start.users.deactivated + 6,
      verified: start.users.verified + 8,
    });
    expect(dayOf(after, today)!.signIns).toBe(dayOf(start, today)!.signIns + 24);
    // Several shards hold today's figures: the writers did not all queue on one row.
    const [row] = await t.db.prisma.$queryRaw<{ shards: number }[]>(
      Prisma.sql`SELECT count(*)::int AS shards FROM daily_sign_in_counters WHERE day = (now() AT TIME ZONE 'UTC')::date`,
    );
    expect(row!.shards).toBeGreaterThan(1);
  });

  it('needs users:read: a plain user gets 403, no session 401', async () => {
    const plain = await createSignedInUser(t.db.prisma, t.config);
    expect((await rest(t.app, 'GET', '/stats/overview', { headers: plain.headers })).statusCode).toBe(403);
    expect((await rest(t.app, 'GET', '/stats/overview')).statusCode).toBe(401);
  });
});

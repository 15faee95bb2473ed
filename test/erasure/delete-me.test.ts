import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc, trpcError } from '../support/client.ts';
import { until } from '../support/until.ts';
import { createSignedInUser, type SignedIn, signIn } from '../support/users.ts';

// me.delete: the account is deactivated at once and erased by the outbox job when the grace period ends; a
// reactivation meanwhile cancels the erasure.

let t: TestApp;
let admin: SignedIn;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  t = await createTestApp({ OUTBOX_POLL_MS: '100' });
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
});

afterAll(async () => {
  await t?.close();
});

const deleteMe = (user: SignedIn, currentPassword = user.password) =>
  rest(t.app, 'POST', '/users/me/delete', { headers: user.headers, body: { currentPassword } });

/** Brings the scheduled erasure of the user forward to now, as if the grace period had passed. */
const endGracePeriod = (userId: string) =>
  t.db.prisma.outboxMessage.updateMany({
    where: { kind: 'user.erasure', payload: { path: ['userId'], equals: userId } },
    data: { availableAt: new Date() },
  });

const erasureRow = (userId: string) =>
  t.db.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'user.erasure', payload: { path: ['userId'], equals: userId } } });

describe('me.delete', () => {
  it('answers 202, deactivates at once and ends every session; the job erases after the grace period', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Leaving Soon' });
    const other = await signIn(t.db.prisma, t.config, user);
    const before = Date.now();
    const res = await deleteMe(user);
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json() as { deactivatedAt: string; erasureScheduledAt: string };
    expect(Date.parse(body.erasureScheduledAt) - Date.parse(body.deactivatedAt)).toBe(30 * DAY_MS);
    expect(Date.parse(body.deactivatedAt)).toBeGreaterThanOrEqual(before - 1000);

    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      isActive: false,
      fullName: 'Leaving Soon',
      erasedAt: null,
    });
    expect(await t.db.prisma.userSession.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).statusCode).toBe(401);
    expect((await rest(t.app, 'GET', '/users/me/sessions', { headers: other.headers })).statusCode).toBe(401);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.deletion_requested', targetId: user.id, actorId: user.id } })).toBe(
      1,
    );
    const scheduled = await erasureRow(user.id);
    expect(scheduled).toMatchObject({ status: 'pending', availableAt: new Date(body.erasureScheduledAt) });

    // Not before its time: a poll or two later it is still waiting.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).erasedAt).toBeNull();

    await endGracePeriod(user.id);
    await until(async () => (await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).erasedAt, 'the account erased');
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      email: `erased+${user.id}@invalid`,
      fullName: null,
      isActive: false,
    });
    const erasedEvents = await t.db.prisma.auditEvent.findMany({ where: { action: 'user.erased', targetId: user.id } });
    expect(erasedEvents).toHaveLength(1);
    expect(erasedEvents[0]?.actorId).toBeNull();
    expect(await t.db.prisma.userSession.count({ where: { userId: user.id } })).toBe(0);
    await until(async () => (await erasureRow(user.id)).status === 'sent', 'the job recorded as done');
  });

  it('a reactivation during the grace period cancels the erasure', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Changed My Mind' });
    expect((await deleteMe(user)).statusCode).toBe(202);
    expect((await rest(t.app, 'POST', `/users/${user.id}/reactivate`, { headers: admin.headers })).statusCode).toBe(200);
    // An administrator's later deactivation is not a request to erase either.
    expect((await rest(t.app, 'DELETE', `/users/${user.id}`, { headers: admin.headers })).statusCode).toBe(200);

    await endGracePeriod(user.id);
    await until(async () => (await erasureRow(user.id)).status === 'sent', 'the job ran');
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      fullName: 'Changed My Mind',
      erasedAt: null,
    });
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.erased', targetId: user.id } })).toBe(0);
  });

  it('refuses a wrong password with 400 naming currentPassword, and changes nothing', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const res = await deleteMe(user, 'not the password at all');
    expect(res.statusCode, res.body).toBe(400);
    expect(JSON.stringify(res.json().issues)).toContain('currentPassword');
    const overTrpc = await trpc(t.app, 'mutation', 'me.delete', { headers: user.headers, input: {} });
    expect(overTrpc.statusCode).toBe(400);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).isActive).toBe(true);
    expect(await t.db.prisma.outboxMessage.count({ where: { kind: 'user.erasure', payload: { path: ['userId'], equals: user.id } } })).toBe(
      0,
    );
  });

  it('needs a recent sign-in: 403 REAUTH_REQUIRED otherwise', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    await t.db.prisma.userSession.update({ where: { id: user.sessionId }, data: { authenticatedAt: new Date(Date.now() - 3600_000) } });
    const res = await deleteMe(user);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().reason).toBe('REAUTH_REQUIRED');
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).isActive).toBe(true);
  });

  it('refuses the last active admin with 409, and changes nothing', async () => {
    const lone = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
    await t.db.prisma.user.updateMany({
      where: { id: { not: lone.id }, roles: { some: { role: { name: 'admin' } } } },
      data: { isActive: false },
    });
    const res = await deleteMe(lone);
    expect(res.statusCode, res.body).toBe(409);
    expect(
      trpcError(await trpc(t.app, 'mutation', 'me.delete', { headers: lone.headers, input: { currentPassword: lone.password } })).data.code,
    ).toBe('CONFLICT');
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: lone.id } })).isActive).toBe(true);
    expect(await t.db.prisma.userSession.count({ where: { userId: lone.id, revokedAt: null } })).toBe(1);
    await t.db.prisma.user.updateMany({ where: { id: admin.id }, data: { isActive: true } });
  });
});

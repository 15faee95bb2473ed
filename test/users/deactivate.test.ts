import { ZUser } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { rest, trpc, trpcData } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn, signIn } from '../support/users.ts';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  // users:delete without being an admin: lets the last-admin guard be reached without self-deactivation.
  await t.db.prisma.role.create({ data: { name: 'janitor', permissions: { create: [{ permission: 'users:delete' }] } } });
});
afterAll(() => t.close());

const row = (id: string) => t.db.prisma.user.findUniqueOrThrow({ where: { id } });
const eventsOf = (targetId: string, action: string) => findAuditEvents(t.db, { where: { targetId, action } });
const login = (email: string, password: string) => rest(t.app, 'POST', '/auth/login', { body: { email, password } });

describe('users.deactivate', () => {
  it('deactivates without deleting, records who/when/why, ends every session at once and audits the reason', async () => {
    const victim = await createSignedInUser(t.db.prisma, t.config);
    const secondSession = await signIn(t.db.prisma, t.config, victim);
    expect((await rest(t.app, 'GET', '/users/me', { headers: victim.headers })).statusCode).toBe(200);

    const res = await rest(t.app, 'DELETE', `/users/${victim.id}?reason=${encodeURIComponent('left the company')}`, {
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    const user = ZUser.parse(res.json());
    expect(user).toMatchObject({ id: victim.id, isActive: false, deactivatedAt: expect.any(String), version: 2 });

    const stored = await row(victim.id);
    expect(stored).toMatchObject({ isActive: false, deactivatedBy: admin.id, deactivationReason: 'left the company' });
    expect(stored.deactivatedAt?.toISOString()).toBe(user.deactivatedAt);
    const live = await t.db.prisma.userSession.count({ where: { userId: victim.id, revokedAt: null } });
    expect(live).toBe(0);

    for (const session of [victim, secondSession]) {
      expect((await rest(t.app, 'GET', '/users/me', { headers: session.headers })).statusCode).toBe(401);
      expect((await trpc(t.app, 'query', 'me.get', { headers: session.headers })).statusCode).toBe(401);
    }
    expect((await login(victim.email, victim.password)).statusCode).toBe(401);

    const [event, ...more] = await eventsOf(victim.id, 'user.deactivated');
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ actorId: admin.id, targetType: 'user' });
    expect(event?.changes).toMatchObject({
      isActive: { from: true, to: false },
      deactivationReason: { from: null, to: 'left the company' },
      deactivatedAt: { from: null, to: user.deactivatedAt },
    });
  });

  it('is idempotent: a second call answers 200 with the same user and records nothing new', async () => {
    const victim = await createUser(t.db.prisma);
    const first = await trpc(t.app, 'mutation', 'users.deactivate', { headers: admin.headers, input: { id: victim.id, reason: 'first' } });
    expect(first.statusCode).toBe(200);
    const second = await rest(t.app, 'DELETE', `/users/${victim.id}?reason=second`, { headers: admin.headers });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(trpcData(first));
    expect(await row(victim.id)).toMatchObject({ deactivationReason: 'first', version: 2 });
    expect(await eventsOf(victim.id, 'user.deactivated')).toHaveLength(1);
  });

  it('works without a reason', async () => {
    const victim = await createUser(t.db.prisma);
    const res = await rest(t.app, 'DELETE', `/users/${victim.id}`, { headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(await row(victim.id)).toMatchObject({ isActive: false, deactivationReason: null });
  });

  it('refuses to deactivate yourself (409), and nothing changes', async () => {
    const res = await rest(t.app, 'DELETE', `/users/${admin.id}`, { headers: admin.headers });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONFLICT' });
    expect(await row(admin.id)).toMatchObject({ isActive: true, version: 1 });
    expect((await rest(t.app, 'GET', '/users/me', { headers: admin.headers })).statusCode).toBe(200);
  });

  it('refuses to deactivate the last active admin (409), counting only active admins', async () => {
    const janitor = await createSignedInUser(t.db.prisma, t.config, { roles: ['janitor'] });
    // Another admin exists, but inactive: it does not count.
    await createUser(t.db.prisma, { roles: ['admin'], isActive: false });
    const res = await rest(t.app, 'DELETE', `/users/${admin.id}`, { headers: janitor.headers });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('admin') });
    expect(await row(admin.id)).toMatchObject({ isActive: true });
    expect(await t.db.prisma.userSession.count({ where: { userId: admin.id, revokedAt: null } })).toBeGreaterThan(0);
    expect(await eventsOf(admin.id, 'user.deactivated')).toHaveLength(0);

    // With a second active admin, the first may go.
    const backup = await createUser(t.db.prisma, { roles: ['admin'] });
    const janitor2 = await createSignedInUser(t.db.prisma, t.config, { roles: ['janitor'] });
    const other = await createUser(t.db.prisma, { roles: ['admin'] });
    expect((await rest(t.app, 'DELETE', `/users/${other.id}`, { headers: janitor2.headers })).statusCode).toBe(200);
    expect(await row(backup.id)).toMatchObject({ isActive: true });
  });

  it('rejects an over-long reason with 400 naming it', async () => {
    const victim = await createUser(t.db.prisma);
    const res = await rest(t.app, 'DELETE', `/users/${victim.id}?reason=${'x'.repeat(501)}`, { headers: admin.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ issues: [{ path: ['reason'] }] });
    expect(await row(victim.id)).toMatchObject({ isActive: true });
  });
});

describe('users.reactivate', () => {
  it('restores sign-in, clears the deactivation fields and audits it; old sessions stay ended', async () => {
    const victim = await createSignedInUser(t.db.prisma, t.config);
    await rest(t.app, 'DELETE', `/users/${victim.id}?reason=pause`, { headers: admin.headers });

    const res = await rest(t.app, 'POST', `/users/${victim.id}/reactivate`, { headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(ZUser.parse(res.json())).toMatchObject({ id: victim.id, isActive: true, deactivatedAt: null, version: 3 });
    expect(await row(victim.id)).toMatchObject({ isActive: true, deactivatedAt: null, deactivatedBy: null, deactivationReason: null });

    expect((await rest(t.app, 'GET', '/users/me', { headers: victim.headers })).statusCode).toBe(401);
    const signedIn = await login(victim.email, victim.password);
    expect(signedIn.statusCode).toBe(200);
    const { accessToken } = signedIn.json() as { accessToken: string };
    expect((await rest(t.app, 'GET', '/users/me', { headers: { authorization: `Bearer ${accessToken}` } })).statusCode).toBe(200);

    const [event, ...more] = await eventsOf(victim.id, 'user.reactivated');
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ actorId: admin.id });
    expect(event?.changes).toMatchObject({
      isActive: { from: false, to: true },
      deactivationReason: { from: 'pause', to: null },
      deactivatedBy: { from: admin.id, to: null },
    });
  });

  it('leaves an active user as is (200, no event)', async () => {
    const user = await createUser(t.db.prisma);
    const res = await trpc(t.app, 'mutation', 'users.reactivate', { headers: admin.headers, input: { id: user.id } });
    expect(res.statusCode).toBe(200);
    expect(trpcData(res)).toMatchObject({ isActive: true, version: 1 });
    expect(await eventsOf(user.id, 'user.reactivated')).toHaveLength(0);
  });
});

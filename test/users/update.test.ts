import { ZUser } from '@ums/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { rest, trpc, trpcError } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn, type TestUser } from '../support/users.ts';

let t: TestApp;
let admin: SignedIn;
let target: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
});
beforeEach(async () => {
  target = await createUser(t.db.prisma, { fullName: 'Tess Target' });
});
afterAll(() => t.close());

const putUser = (id: string, body: unknown) => rest(t.app, 'PUT', `/users/${id}`, { headers: admin.headers, body });
const row = (id: string) => t.db.prisma.user.findUniqueOrThrow({ where: { id } });
const events = (targetId: string) => findAuditEvents(t.db, { where: { targetId }, orderBy: { at: 'asc' } });

describe('users.update', () => {
  it('changes profile fields and email, bumps the version and audits a field-level diff', async () => {
    const longAgo = new Date('2020-01-01T00:00:00.000Z');
    await t.db.prisma.user.update({ where: { id: target.id }, data: { updatedAt: longAgo } });
    const res = await putUser(target.id, {
      fullName: '  Tess Renamed ',
      email: ' Tess.New@Example.COM ',
      phoneNumber: '+14155550123',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      avatarUrl: 'https://cdn.example.com/t.png',
      bio: 'line one\nline two\ttabbed',
    });
    expect(res.statusCode).toBe(200);
    const user = ZUser.parse(res.json());
    expect(user).toMatchObject({
      id: target.id,
      fullName: 'Tess Renamed',
      email: 'tess.new@example.com',
      phoneNumber: '+14155550123',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      avatarUrl: 'https://cdn.example.com/t.png',
      bio: 'line one\nline two\ttabbed',
      version: 2,
    });
    const stored = await row(target.id);
    expect(stored).toMatchObject({ email: 'tess.new@example.com', fullName: 'Tess Renamed', version: 2 });
    expect(stored.updatedAt.getTime()).toBeGreaterThan(longAgo.getTime());
    expect(user.updatedAt).toBe(stored.updatedAt.toISOString());

    const [event, ...more] = await events(target.id);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ action: 'user.updated', actorId: admin.id, targetType: 'user', targetId: target.id });
    expect(event?.changes).toEqual({
      fullName: { from: 'Tess Target', to: 'Tess Renamed' },
      email: { from: target.email, to: 'tess.new@example.com' },
      phoneNumber: { from: null, to: '+14155550123' },
      timezone: { from: null, to: 'Europe/Paris' },
      locale: { from: null, to: 'fr-FR' },
      avatarUrl: { from: null, to: 'https://cdn.example.com/t.png' },
      bio: { from: null, to: 'line one\nline two\ttabbed' },
    });
  });

  it('leaves omitted fields unchanged and clears fields sent as null', async () => {
    await putUser(target.id, { phoneNumber: '+14155550123', bio: 'hello' });
    const res = await putUser(target.id, { phoneNumber: null, fullName: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ phoneNumber: null, fullName: null, bio: 'hello', version: 3 });
    const [, second] = await events(target.id);
    expect(second?.changes).toEqual({ phoneNumber: { from: '+14155550123', to: null }, fullName: { from: 'Tess Target', to: null } });
  });

  it('changes nothing, not even the version, when the values are already those', async () => {
    const res = await putUser(target.id, { fullName: 'Tess Target', email: target.email });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 1 });
    expect(await events(target.id)).toHaveLength(0);
  });

  it('refuses an email another user has (409) and writes nothing', async () => {
    const other = await createUser(t.db.prisma);
    const res = await putUser(target.id, { email: other.email.toUpperCase(), bio: 'should not stick' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('email') });
    expect(await row(target.id)).toMatchObject({ email: target.email, bio: null, version: 1 });
    expect(await events(target.id)).toHaveLength(0);
  });

  it('gives one email to one user when two updates claim it at once', async () => {
    const other = await createUser(t.db.prisma);
    const email = `contested-${target.id}@example.com`;
    const results = await Promise.all([putUser(target.id, { email }), putUser(other.id, { email })]);
    expect(results.map((res) => res.statusCode).sort()).toEqual([200, 409]);
    expect(await t.db.prisma.user.count({ where: { email } })).toBe(1);
  });

  it('applies an update at the expected version and refuses a stale one with 409 and the current version', async () => {
    const first = await putUser(target.id, { bio: 'v2', expectedVersion: 1 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ bio: 'v2', version: 2 });

    const stale = await putUser(target.id, { bio: 'stale', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'CONFLICT', data: { currentVersion: 2 } });

    const staleTrpc = await trpc(t.app, 'mutation', 'users.update', {
      headers: admin.headers,
      input: { id: target.id, bio: 'stale', expectedVersion: 1 },
    });
    expect(staleTrpc.statusCode).toBe(409);
    expect(trpcError(staleTrpc)?.data).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });

    expect(await row(target.id)).toMatchObject({ bio: 'v2', version: 2 });
    expect(await events(target.id)).toHaveLength(1);
  });

  it('lets exactly one of several concurrent updates at the same version win', async () => {
    const results = await Promise.all(['a', 'b', 'c'].map((bio) => putUser(target.id, { bio, expectedVersion: 1 })));
    expect(results.map((res) => res.statusCode).sort()).toEqual([200, 409, 409]);
    const winner = results.find((res) => res.statusCode === 200)?.json() as { bio: string };
    expect(await row(target.id)).toMatchObject({ bio: winner.bio, version: 2 });
    expect(await events(target.id)).toHaveLength(1);
  });

  it.each([
    ['roles', ['admin']],
    ['isActive', false],
    ['version', 99],
    ['passwordHash', 'x'],
    ['password', 'new password 123'],
    ['deactivatedAt', null],
    ['createdAt', '2020-01-01T00:00:00.000Z'],
  ])('rejects the protected field %s with 400 naming it, and writes nothing', async (field, value) => {
    const res = await putUser(target.id, { bio: 'sneaky', [field]: value });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain(field);
    expect(await row(target.id)).toMatchObject({ bio: null, version: 1, isActive: true });
  });

  it.each([
    ['fullName', ''],
    ['fullName', '   '],
    ['fullName', 'x'.repeat(101)],
    ['fullName', 'bell\u0007'],
    ['email', 'not-an-email'],
    ['email', `${'a'.repeat(250)}@x.io`],
    ['email', null],
    ['phoneNumber', '555-1234'],
    ['timezone', 'Mars/Olympus_Mons'],
    ['locale', 'not a locale!'],
    ['avatarUrl', 'http://cdn.example.com/a.png'],
    ['avatarUrl', 'javascript:alert(1)'],
    ['bio', 'x'.repeat(501)],
    ['bio', 'null byte\u0000'],
    ['expectedVersion', 0],
  ])('rejects %s = %j with 400 naming the field', async (field, value) => {
    const res = await putUser(target.id, { [field]: value });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: [field], message: expect.any(String) }] });
    expect(await row(target.id)).toMatchObject({ fullName: 'Tess Target', version: 1 });
  });

  it('names the field over tRPC too', async () => {
    const res = await trpc(t.app, 'mutation', 'users.update', { headers: admin.headers, input: { id: target.id, phoneNumber: '12' } });
    expect(res.statusCode).toBe(400);
    expect(trpcError(res)?.data.issues).toEqual([{ path: ['phoneNumber'], message: expect.any(String) }]);
  });
});

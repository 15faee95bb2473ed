import { ZUser } from '@ums/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let me: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
});
beforeEach(async () => {
  me = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Mia Me' });
});
afterAll(() => t.close());

const putMe = (body: unknown) => rest(t.app, 'PUT', '/users/me', { headers: me.headers, body });
const row = () => t.db.prisma.user.findUniqueOrThrow({ where: { id: me.id } });
const events = () => findAuditEvents(t.db, { where: { targetId: me.id }, orderBy: { at: 'asc' } });

describe('me.update', () => {
  it('changes the caller’s own profile fields and audits them as user.profile_updated', async () => {
    const res = await putMe({ fullName: 'Mia Renamed', timezone: 'America/New_York', locale: 'en-US', bio: 'hi' });
    expect(res.statusCode).toBe(200);
    expect(ZUser.parse(res.json())).toMatchObject({
      id: me.id,
      email: me.email,
      fullName: 'Mia Renamed',
      timezone: 'America/New_York',
      locale: 'en-US',
      bio: 'hi',
      version: 2,
    });
    expect(await row()).toMatchObject({ fullName: 'Mia Renamed', timezone: 'America/New_York', version: 2 });
    const [event, ...more] = await events();
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ action: 'user.profile_updated', actorId: me.id, targetId: me.id, userAgent: 'lightMyRequest' });
    expect(event?.changes).toEqual({
      fullName: { from: 'Mia Me', to: 'Mia Renamed' },
      timezone: { from: null, to: 'America/New_York' },
      locale: { from: null, to: 'en-US' },
      bio: { from: null, to: 'hi' },
    });
  });

  it('is visible through me.get and users.byId, over tRPC as over REST', async () => {
    const res = await trpc(t.app, 'mutation', 'me.update', { headers: me.headers, input: { avatarUrl: 'https://img.example.com/me.jpg' } });
    expect(res.statusCode).toBe(200);
    expect(trpcData(res)).toMatchObject({ avatarUrl: 'https://img.example.com/me.jpg', version: 2 });
    expect((await rest(t.app, 'GET', '/users/me', { headers: me.headers })).json()).toMatchObject({
      avatarUrl: 'https://img.example.com/me.jpg',
      version: 2,
    });
    expect((await rest(t.app, 'GET', `/users/${me.id}`, { headers: me.headers })).json()).toMatchObject({
      avatarUrl: 'https://img.example.com/me.jpg',
    });
  });

  it('leaves omitted fields unchanged and clears fields sent as null', async () => {
    await putMe({ phoneNumber: '+447700900123', bio: 'keep me' });
    const res = await putMe({ phoneNumber: null, fullName: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ phoneNumber: null, fullName: null, bio: 'keep me', version: 3 });
    expect(await row()).toMatchObject({ phoneNumber: null, fullName: null, bio: 'keep me' });
  });

  it('accepts an empty body as "nothing to change"', async () => {
    const res = await putMe({});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: me.id, version: 1 });
    expect(await events()).toHaveLength(0);
  });

  it.each([
    ['email', 'new@example.com'],
    ['roles', ['admin']],
    ['isActive', false],
    ['id', '00000000-0000-4000-8000-000000000000'],
    ['password', 'a brand new password'],
    ['passwordHash', '$argon2id$...'],
    ['version', 7],
    ['deactivatedAt', null],
  ])('rejects %s with 400 naming it, and changes nothing', async (field, value) => {
    const res = await putMe({ fullName: 'Sneaky', [field]: value });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.stringify(res.json())).toContain(field);
    expect(await row()).toMatchObject({ email: me.email, fullName: 'Mia Me', isActive: true, version: 1 });
    expect(await t.db.prisma.userRole.count({ where: { userId: me.id } })).toBe(1);
    expect(await events()).toHaveLength(0);
  });

  it.each([
    ['fullName', 'x'.repeat(101)],
    ['phoneNumber', '+0123'],
    ['timezone', 'Nowhere/Special'],
    ['locale', '12345'],
    ['avatarUrl', 'ftp://example.com/a.png'],
    ['bio', 'escape\u001b[31m'],
  ])('rejects %s = %j with 400 naming the field', async (field, value) => {
    const res = await putMe({ [field]: value });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ issues: [{ path: [field], message: expect.any(String) }] });
    const trpcRes = await trpc(t.app, 'mutation', 'me.update', { headers: me.headers, input: { [field]: value } });
    expect(trpcRes.statusCode).toBe(400);
    expect(trpcError(trpcRes)?.data.issues?.[0]?.path).toEqual([field]);
  });

  it('refuses a stale expectedVersion with 409 carrying the current version, and writes nothing', async () => {
    expect((await putMe({ bio: 'one', expectedVersion: 1 })).statusCode).toBe(200);
    const stale = await putMe({ bio: 'two', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'CONFLICT', data: { currentVersion: 2 } });
    expect(await row()).toMatchObject({ bio: 'one', version: 2 });
    expect(await events()).toHaveLength(1);
    expect((await putMe({ bio: 'two', expectedVersion: 2 })).json()).toMatchObject({ bio: 'two', version: 3 });
  });

  it('moves the preferences/settings version along with the timezone, which is also a preference', async () => {
    const before = (await row()).settingsVersion;
    await putMe({ bio: 'not a preference' });
    expect((await row()).settingsVersion).toBe(before);
    await putMe({ timezone: 'Asia/Tokyo' });
    expect(await row()).toMatchObject({ timezone: 'Asia/Tokyo', settingsVersion: before + 1 });
  });

  it('is refused without a token', async () => {
    expect((await rest(t.app, 'PUT', '/users/me', { body: { bio: 'x' } })).statusCode).toBe(401);
  });
});

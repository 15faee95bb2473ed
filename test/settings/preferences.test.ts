import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { byKey, rest, type SettingsBody, trpc } from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const newUser = () => createSignedInUser(t.db.prisma, t.config);

async function preferences(user: SignedIn) {
  const res = await rest(t.app, 'GET', '/users/me/preferences', user.headers);
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>;
}

async function settings(user: SignedIn) {
  const res = await rest(t.app, 'GET', '/users/me/settings', user.headers);
  expect(res.status).toBe(200);
  return res.body as SettingsBody;
}

describe('me.preferences', () => {
  it('starts from the defaults of the contract', async () => {
    const user = await newUser();
    expect(await preferences(user)).toEqual({
      theme: 'auto',
      language: 'en',
      timezone: 'UTC',
      dateFormat: 'YYYY-MM-DD',
      notifications: { email: true, sms: false, push: true },
      version: 1,
    });
    const viaTrpc = await trpc(t.app, 'query', 'me.preferences.get', user.headers);
    expect(viaTrpc.data).toEqual(await preferences(user));
  });

  it('deep-merges a partial update: untouched fields, nested ones included, keep their value', async () => {
    const user = await newUser();
    const first = await rest(t.app, 'PUT', '/users/me/preferences', user.headers, { theme: 'dark', notifications: { sms: true } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({
      theme: 'dark',
      language: 'en',
      timezone: 'UTC',
      dateFormat: 'YYYY-MM-DD',
      notifications: { email: true, sms: true, push: true },
      version: 2,
    });
    const second = await rest(t.app, 'PUT', '/users/me/preferences', user.headers, {
      notifications: { email: false },
      dateFormat: 'DD.MM.YYYY',
    });
    expect(second.body).toEqual({
      theme: 'dark',
      language: 'en',
      timezone: 'UTC',
      dateFormat: 'DD.MM.YYYY',
      notifications: { email: false, sms: true, push: true },
      version: 3,
    });
    expect(await preferences(user)).toEqual(second.body);
  });

  it('refuses unknown keys and bad values with the field path, and writes nothing', async () => {
    const user = await newUser();
    for (const payload of [
      { colour: 'red' },
      { notifications: { fax: true } },
      { theme: 'dark', version: 3 },
      { theme: 3 },
      { notifications: { email: 'yes' } },
    ]) {
      const res = await rest(t.app, 'PUT', '/users/me/preferences', user.headers, payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
    }
    const bad = await rest(t.app, 'PUT', '/users/me/preferences', user.headers, {
      theme: 'blue',
      language: 'english!',
      timezone: 'Nowhere/City',
      dateFormat: 'YYYY/MM/DD',
      notifications: { push: false },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: unknown[] }).issues).toEqual([
      { path: ['theme'], message: 'must be one of: light, dark, auto' },
      { path: ['language'], message: 'must match the pattern ^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' },
      { path: ['timezone'], message: 'must be an IANA time zone such as Europe/Paris' },
      { path: ['dateFormat'], message: 'must be one of: YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY' },
    ]);
    expect((await preferences(user)).notifications).toEqual({ email: true, sms: false, push: true });
    expect(await t.db.prisma.userSetting.count({ where: { userId: user.id } })).toBe(0);
  });

  it('checks expectedVersion against the version shared with the settings view', async () => {
    const user = await newUser();
    await rest(t.app, 'PUT', '/users/me/settings', user.headers, { settings: [{ key: 'ui.density', value: 'compact' }] });
    const stale = await rest(t.app, 'PUT', '/users/me/preferences', user.headers, { theme: 'light', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect((await preferences(user)).theme).toBe('auto');
    const current = await rest(t.app, 'PUT', '/users/me/preferences', user.headers, { theme: 'light', expectedVersion: 2 });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ theme: 'light', version: 3 });
    expect((await settings(user)).version).toBe(3);
  });

  it('audits preferences.updated with from/to per setting key', async () => {
    const user = await newUser();
    await rest(t.app, 'PUT', '/users/me/preferences', user.headers, { language: 'de', notifications: { push: false } });
    const event = await t.db.prisma.auditEvent.findFirst({
      where: { targetId: user.id, action: 'preferences.updated' },
      select: { changes: true },
    });
    expect(event?.changes).toEqual({ language: { from: 'en', to: 'de' }, 'notifications.push': { from: true, to: false } });
  });
});

describe('one storage, two views', () => {
  it('shows a change made through the preferences in the settings, and the other way round', async () => {
    const user = await newUser();
    await rest(t.app, 'PUT', '/users/me/preferences', user.headers, { theme: 'dark', notifications: { sms: true } });
    const afterPrefs = byKey((await settings(user)).settings);
    expect(afterPrefs.get('theme')).toMatchObject({ value: 'dark', isDefault: false });
    expect(afterPrefs.get('notifications.sms')).toMatchObject({ value: true, isDefault: false });
    expect(afterPrefs.get('notifications.email')).toMatchObject({ value: true, isDefault: true });

    const res = await rest(t.app, 'PUT', '/users/me/settings', user.headers, {
      settings: [
        { key: 'theme', value: 'light' },
        { key: 'date_format', value: 'MM/DD/YYYY' },
        { key: 'notifications.email', value: false },
        { key: 'language', value: 'pt-BR' },
      ],
    });
    expect(res.status).toBe(200);
    const prefs = await preferences(user);
    expect(prefs).toEqual({
      theme: 'light',
      language: 'pt-BR',
      timezone: 'UTC',
      dateFormat: 'MM/DD/YYYY',
      notifications: { email: false, sms: true, push: true },
      version: (res.body as SettingsBody).version,
    });
  });

  it('keeps the timezone in one place: profile, preferences and settings', async () => {
    const user = await newUser();
    const viaPrefs = await rest(t.app, 'PUT', '/users/me/preferences', user.headers, { timezone: 'Asia/Tokyo' });
    expect(viaPrefs.status).toBe(200);
    expect((await rest(t.app, 'GET', '/users/me', user.headers)).body).toMatchObject({ timezone: 'Asia/Tokyo' });
    expect(byKey((await settings(user)).settings).get('timezone')?.value).toBe('Asia/Tokyo');

    const viaProfile = await rest(t.app, 'PUT', '/users/me', user.headers, { timezone: 'America/New_York' });
    expect(viaProfile.status, JSON.stringify(viaProfile.body)).toBe(200);
    expect((await preferences(user)).timezone).toBe('America/New_York');
    expect(byKey((await settings(user)).settings).get('timezone')).toMatchObject({ value: 'America/New_York', isDefault: false });

    await rest(t.app, 'PUT', '/users/me/settings', user.headers, { settings: [{ key: 'timezone', value: 'Europe/Berlin' }] });
    expect((await rest(t.app, 'GET', '/users/me', user.headers)).body).toMatchObject({ timezone: 'Europe/Berlin' });
    expect((await preferences(user)).timezone).toBe('Europe/Berlin');
    expect(await t.db.prisma.userSetting.count({ where: { userId: user.id } })).toBe(0);
  });
});

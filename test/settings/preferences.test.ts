import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvent } from '../support/audit-events.ts';
import { rest, trpc, trpcData } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { byKey, type SettingsBody } from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const newUser = () => createSignedInUser(t.db.prisma, t.config);
const putMySettings = (user: SignedIn, body: unknown) => rest(t.app, 'PUT', '/users/me/settings', { headers: user.headers, body });
const putPreferences = (user: SignedIn, body: unknown) => rest(t.app, 'PUT', '/users/me/preferences', { headers: user.headers, body });

async function preferences(user: SignedIn) {
  const res = await rest(t.app, 'GET', '/users/me/preferences', { headers: user.headers });
  expect(res.statusCode).toBe(200);
  return res.json() as Record<string, unknown>;
}

async function settings(user: SignedIn) {
  const res = await rest(t.app, 'GET', '/users/me/settings', { headers: user.headers });
  expect(res.statusCode).toBe(200);
  return res.json() as SettingsBody;
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
    const viaTrpc = await trpc(t.app, 'query', 'me.preferences.get', { headers: user.headers });
    expect(trpcData(viaTrpc)).toEqual(await preferences(user));
  });

  it('deep-merges a partial update: untouched fields, nested ones included, keep their value', async () => {
    const user = await newUser();
    const first = await putPreferences(user, { theme: 'dark', notifications: { sms: true } });
    expect(first.statusCode, JSON.stringify(first.json())).toBe(200);
    expect(first.json()).toEqual({
      theme: 'dark',
      language: 'en',
      timezone: 'UTC',
      dateFormat: 'YYYY-MM-DD',
      notifications: { email: true, sms: true, push: true },
      version: 2,
    });
    const second = await putPreferences(user, {
      notifications: { email: false },
      dateFormat: 'DD.MM.YYYY',
    });
    expect(second.json()).toEqual({
      theme: 'dark',
      language: 'en',
      timezone: 'UTC',
      dateFormat: 'DD.MM.YYYY',
      notifications: { email: false, sms: true, push: true },
      version: 3,
    });
    expect(await preferences(user)).toEqual(second.json());
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
      const res = await putPreferences(user, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const bad = await putPreferences(user, {
      theme: 'blue',
      language: 'english!',
      timezone: 'Nowhere/City',
      dateFormat: 'YYYY/MM/DD',
      notifications: { push: false },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { issues: unknown[] }).issues).toEqual([
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
    await putMySettings(user, { settings: [{ key: 'ui.density', value: 'compact' }] });
    const stale = await putPreferences(user, { theme: 'light', expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await preferences(user)).theme).toBe('auto');
    const current = await putPreferences(user, { theme: 'light', expectedVersion: 2 });
    expect(current.statusCode).toBe(200);
    expect(current.json()).toMatchObject({ theme: 'light', version: 3 });
    expect((await settings(user)).version).toBe(3);
  });

  it('audits preferences.updated with from/to per setting key', async () => {
    const user = await newUser();
    await putPreferences(user, { language: 'de', notifications: { push: false } });
    const event = await findAuditEvent(t.db, {
      where: { targetId: user.id, action: 'preferences.updated' },
    });
    expect(event?.changes).toEqual({ language: { from: 'en', to: 'de' }, 'notifications.push': { from: true, to: false } });
  });
});

describe('one storage, two views', () => {
  it('shows a change made through the preferences in the settings, and the other way round', async () => {
    const user = await newUser();
    await putPreferences(user, { theme: 'dark', notifications: { sms: true } });
    const afterPrefs = byKey((await settings(user)).settings);
    expect(afterPrefs.get('theme')).toMatchObject({ value: 'dark', isDefault: false });
    expect(afterPrefs.get('notifications.sms')).toMatchObject({ value: true, isDefault: false });
    expect(afterPrefs.get('notifications.email')).toMatchObject({ value: true, isDefault: true });

    const res = await putMySettings(user, {
      settings: [
        { key: 'theme', value: 'light' },
        { key: 'date_format', value: 'MM/DD/YYYY' },
        { key: 'notifications.email', value: false },
        { key: 'language', value: 'pt-BR' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const prefs = await preferences(user);
    expect(prefs).toEqual({
      theme: 'light',
      language: 'pt-BR',
      timezone: 'UTC',
      dateFormat: 'MM/DD/YYYY',
      notifications: { email: false, sms: true, push: true },
      version: (res.json() as SettingsBody).version,
    });
  });

  it('keeps the timezone in one place: profile, preferences and settings', async () => {
    const user = await newUser();
    const viaPrefs = await putPreferences(user, { timezone: 'Asia/Tokyo' });
    expect(viaPrefs.statusCode).toBe(200);
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).json()).toMatchObject({ timezone: 'Asia/Tokyo' });
    expect(byKey((await settings(user)).settings).get('timezone')?.value).toBe('Asia/Tokyo');

    const viaProfile = await rest(t.app, 'PUT', '/users/me', { headers: user.headers, body: { timezone: 'America/New_York' } });
    expect(viaProfile.statusCode, JSON.stringify(viaProfile.json())).toBe(200);
    expect((await preferences(user)).timezone).toBe('America/New_York');
    expect(byKey((await settings(user)).settings).get('timezone')).toMatchObject({ value: 'America/New_York', isDefault: false });

    await putMySettings(user, { settings: [{ key: 'timezone', value: 'Europe/Berlin' }] });
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).json()).toMatchObject({ timezone: 'Europe/Berlin' });
    expect((await preferences(user)).timezone).toBe('Europe/Berlin');
    expect(await t.db.prisma.userSetting.count({ where: { userId: user.id } })).toBe(0);
  });
});

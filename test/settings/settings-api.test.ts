import { randomUUID } from 'node:crypto';
import { settingsCatalog } from '@ums/contract';
import { seedDatabase } from '@ums/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvent, findAuditEvents } from '../support/audit-events.ts';
import { rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { byKey, type SettingsBody } from './helpers.ts';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
});
afterAll(() => t.close());

const newUser = () => createSignedInUser(t.db.prisma, t.config);
const putMySettings = (user: SignedIn, body: unknown) => rest(t.app, 'PUT', '/users/me/settings', { headers: user.headers, body });

async function mySettings(user: SignedIn, query = ''): Promise<SettingsBody> {
  const res = await rest(t.app, 'GET', `/users/me/settings${query}`, { headers: user.headers });
  expect(res.statusCode, JSON.stringify(res.json())).toBe(200);
  return res.json() as SettingsBody;
}

const storedRows = (userId: string) =>
  t.db.prisma.userSetting.findMany({
    where: { userId },
    select: { key: true, value: true, settingType: true, category: true, description: true, isPublic: true, validationRules: true },
    orderBy: { key: 'asc' },
  });

const settingsVersion = async (userId: string) =>
  (await t.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { settingsVersion: true } })).settingsVersion;

describe('settings.catalog', () => {
  it('lists every catalog key with type, category, description, default, rules and visibility', async () => {
    const user = await newUser();
    const res = await rest(t.app, 'GET', '/settings/catalog', { headers: user.headers });
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: Record<string, unknown>[] };
    expect(items).toHaveLength(settingsCatalog.length);
    expect(items.find((item) => item.key === 'theme')).toEqual({
      key: 'theme',
      settingType: 'string',
      category: 'ui_preferences',
      description: expect.any(String),
      default: 'auto',
      validationRules: { allowed_values: ['light', 'dark', 'auto'] },
      isPublic: false,
    });
    expect(items.find((item) => item.key === 'ui.page_size')).toMatchObject({
      settingType: 'integer',
      default: 20,
      validationRules: { min: 10, max: 100 },
    });
    expect(new Set(items.map((item) => item.settingType))).toEqual(new Set(['string', 'integer', 'number', 'boolean', 'json']));

    const trpcRes = await trpc(t.app, 'query', 'settings.catalog', { headers: user.headers });
    expect(trpcData(trpcRes)).toEqual(res.json());
  });

  it('needs a signed-in caller', async () => {
    expect((await rest(t.app, 'GET', '/settings/catalog')).statusCode).toBe(401);
  });

  it('is seeded into settings_catalog, equal to the code', async () => {
    const rows = await t.db.prisma.settingDefinition.findMany({ orderBy: { position: 'asc' } });
    expect(
      rows.map((row) => ({
        key: row.key,
        settingType: row.settingType,
        category: row.category,
        description: row.description,
        default: row.defaultValue,
        validationRules: row.validationRules,
        isPublic: row.isPublic,
      })),
    ).toEqual(settingsCatalog.map((definition) => ({ ...definition, validationRules: { ...definition.validationRules } })));
  });

  it('is re-seeded idempotently: tampered rows are restored, unknown keys removed, unchanged rows left alone', async () => {
    const stamps = async () =>
      new Map(
        (await t.db.prisma.settingDefinition.findMany({ select: { key: true, updatedAt: true } })).map((row) => [
          row.key,
          row.updatedAt.getTime(),
        ]),
      );
    await t.db.prisma.settingDefinition.update({ where: { key: 'theme' }, data: { description: 'tampered', isPublic: true } });
    await t.db.prisma.settingDefinition.create({
      data: { key: 'retired.key', settingType: 'string', category: 'interface', defaultValue: 'x' },
    });
    const before = await stamps();
    await seedDatabase({ db: t.db });
    const theme = await t.db.prisma.settingDefinition.findUniqueOrThrow({ where: { key: 'theme' } });
    expect({ description: theme.description, isPublic: theme.isPublic }).toEqual({
      description: 'Colour theme of the interface',
      isPublic: false,
    });
    expect(await t.db.prisma.settingDefinition.count({ where: { key: 'retired.key' } })).toBe(0);
    const after = await stamps();
    expect(after.size).toBe(settingsCatalog.length);
    for (const [key, stamp] of after) if (key !== 'theme') expect(stamp, key).toBe(before.get(key));
    await seedDatabase({ db: t.db });
    expect(await stamps()).toEqual(after);
  });
});

describe('me.settings.get', () => {
  it('returns every catalog key with its default for a new user, and the settings version', async () => {
    const user = await newUser();
    const body = await mySettings(user);
    expect(body.version).toBe(1);
    expect(body.settings.map((setting) => setting.key)).toEqual(settingsCatalog.map((definition) => definition.key));
    expect(body.settings.every((setting) => setting.isDefault)).toBe(true);
    expect(byKey(body.settings).get('notifications.email')).toEqual({
      key: 'notifications.email',
      value: true,
      settingType: 'boolean',
      category: 'notifications',
      description: 'Receive notifications by email',
      isPublic: false,
      validationRules: {},
      isDefault: true,
    });
    expect(byKey(body.settings).get('profile.pronouns')).toMatchObject({ value: '', isPublic: true });
  });

  it('filters by category, and refuses an unknown category', async () => {
    const user = await newUser();
    const body = await mySettings(user, '?category=localization');
    expect(body.settings.map((setting) => setting.key)).toEqual(['language', 'timezone', 'date_format']);
    const trpcRes = await trpc(t.app, 'query', 'me.settings.get', { headers: user.headers, input: { category: 'notifications' } });
    expect((trpcData(trpcRes) as SettingsBody).settings.map((setting) => setting.key)).toEqual([
      'notifications.email',
      'notifications.sms',
      'notifications.push',
    ]);
    expect((await rest(t.app, 'GET', '/users/me/settings?category=nope', { headers: user.headers })).statusCode).toBe(400);
    const noInput = await trpc(t.app, 'query', 'me.settings.get', { headers: user.headers });
    expect((trpcData(noInput) as SettingsBody).settings).toHaveLength(settingsCatalog.length);
  });
});

describe('me.settings.update', () => {
  it('stores a batch of every setting type as structured rows and returns the new list and version', async () => {
    const user = await newUser();
    const res = await putMySettings(user, {
      settings: [
        { key: 'theme', value: 'dark' },
        { key: 'ui.page_size', value: 50 },
        { key: 'ui.font_scale', value: 1.25 },
        { key: 'notifications.sms', value: true },
        { key: 'ui.dashboard_widgets', value: ['activity', { id: 'chart', size: 2 }] },
        { key: 'profile.pronouns', value: 'they/them', isPublic: false },
      ],
    });
    expect(res.statusCode, JSON.stringify(res.json())).toBe(200);
    const body = res.json() as SettingsBody;
    expect(body.version).toBe(2);
    expect(body.settings).toHaveLength(settingsCatalog.length);
    const settings = byKey(body.settings);
    expect(settings.get('theme')).toMatchObject({ value: 'dark', isDefault: false });
    expect(settings.get('ui.page_size')).toMatchObject({ value: 50, settingType: 'integer', isDefault: false });
    expect(settings.get('ui.dashboard_widgets')?.value).toEqual(['activity', { id: 'chart', size: 2 }]);
    expect(settings.get('profile.pronouns')).toMatchObject({ value: 'they/them', isPublic: false });
    expect(settings.get('language')).toMatchObject({ value: 'en', isDefault: true });

    expect(await storedRows(user.id)).toEqual([
      {
        key: 'notifications.sms',
        value: true,
        settingType: 'boolean',
        category: 'notifications',
        description: 'Receive notifications by SMS',
        isPublic: false,
        validationRules: {},
      },
      expect.objectContaining({
        key: 'profile.pronouns',
        value: 'they/them',
        settingType: 'string',
        isPublic: false,
        validationRules: { max_length: 40 },
      }),
      expect.objectContaining({ key: 'theme', value: 'dark', settingType: 'string', category: 'ui_preferences' }),
      expect.objectContaining({ key: 'ui.dashboard_widgets', value: ['activity', { id: 'chart', size: 2 }], settingType: 'json' }),
      expect.objectContaining({ key: 'ui.font_scale', value: 1.25, settingType: 'number' }),
      expect.objectContaining({ key: 'ui.page_size', value: 50, settingType: 'integer', validationRules: { min: 10, max: 100 } }),
    ]);
    expect(await mySettings(user)).toEqual(body);
  });

  it('keeps one row per user and key when a key is written again', async () => {
    const user = await newUser();
    for (const value of ['light', 'dark', 'auto']) {
      expect((await putMySettings(user, { settings: [{ key: 'theme', value }] })).statusCode).toBe(200);
    }
    expect(await t.db.prisma.userSetting.findMany({ where: { userId: user.id }, select: { key: true, value: true } })).toEqual([
      { key: 'theme', value: 'auto' },
    ]);
    expect(await settingsVersion(user.id)).toBe(4);
  });

  it('writes nothing when one key of the batch fails, and names every failing key', async () => {
    const user = await newUser();
    const res = await putMySettings(user, {
      settings: [
        { key: 'theme', value: 'dark' },
        { key: 'ui.page_size', value: 500 },
        { key: 'no.such.key', value: 1 },
        { key: 'notifications.email', value: 'yes' },
        { key: 'language', value: 'fr' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST', message: expect.any(String) });
    expect(res.json()).toHaveProperty('issues', [
      { path: ['settings', 1, 'value'], message: 'ui.page_size: must be at most 100' },
      { path: ['settings', 2, 'key'], message: 'no.such.key: unknown setting key' },
      { path: ['settings', 3, 'value'], message: 'notifications.email: must be a boolean' },
    ]);
    expect(await storedRows(user.id)).toEqual([]);
    expect(await settingsVersion(user.id)).toBe(1);
    expect(await t.db.prisma.auditEvent.count({ where: { targetId: user.id, action: 'settings.updated' } })).toBe(0);
  });

  it('carries the same issues over tRPC', async () => {
    const user = await newUser();
    const res = await trpc(t.app, 'mutation', 'me.settings.update', {
      headers: user.headers,
      input: {
        settings: [{ key: 'ui.accent_color', value: 'red' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(trpcError(res)?.data.issues).toEqual([
      { path: ['settings', 0, 'value'], message: 'ui.accent_color: must match the pattern ^#[0-9A-Fa-f]{6}$' },
    ]);
  });

  it('refuses a key sent twice, null values, a bad shape and unknown fields', async () => {
    const user = await newUser();
    const twice = await putMySettings(user, {
      settings: [
        { key: 'theme', value: 'dark' },
        { key: 'theme', value: 'light' },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect((twice.json() as { issues: unknown[] }).issues).toEqual([
      { path: ['settings', 1, 'key'], message: 'theme: appears more than once in the batch' },
    ]);

    const nullValue = await putMySettings(user, {
      settings: [{ key: 'ui.dashboard_widgets', value: null }],
    });
    expect(nullValue.statusCode).toBe(400);
    expect((nullValue.json() as { issues: unknown[] }).issues).toEqual([
      { path: ['settings', 0, 'value'], message: 'ui.dashboard_widgets: must be a JSON value other than null' },
    ]);

    for (const payload of [
      { settings: [] },
      { settings: [{ key: 'theme' }] },
      { settings: [{ key: 'theme', value: 'dark', extra: 1 }] },
      { settings: [{ key: 'theme', value: 'dark' }], userId: randomUUID() },
      { settings: [{ key: 'theme', value: 'dark' }], expectedVersion: 0 },
    ]) {
      const res = await putMySettings(user, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await storedRows(user.id)).toEqual([]);
  });

  it('checks expectedVersion: the current one wins, a stale one is a 409 that changes nothing', async () => {
    const user = await newUser();
    const first = await putMySettings(user, {
      settings: [{ key: 'ui.density', value: 'compact' }],
      expectedVersion: 1,
    });
    expect(first.statusCode).toBe(200);
    expect((first.json() as SettingsBody).version).toBe(2);

    const stale = await putMySettings(user, {
      settings: [{ key: 'ui.density', value: 'comfortable' }],
      expectedVersion: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'CONFLICT' });
    const staleTrpc = await trpc(t.app, 'mutation', 'me.settings.update', {
      headers: user.headers,
      input: {
        settings: [{ key: 'ui.density', value: 'comfortable' }],
        expectedVersion: 1,
      },
    });
    expect(staleTrpc.statusCode).toBe(409);
    expect(trpcError(staleTrpc)?.data.currentVersion).toBe(2);
    expect(byKey((await mySettings(user)).settings).get('ui.density')?.value).toBe('compact');
    expect(await settingsVersion(user.id)).toBe(2);
  });

  it('audits each batch in one event with from/to per changed key', async () => {
    const user = await newUser();
    await putMySettings(user, { settings: [{ key: 'ui.page_size', value: 30 }] });
    const res = await putMySettings(user, {
      settings: [
        { key: 'ui.page_size', value: 40 },
        { key: 'profile.location', value: 'Lyon', isPublic: false },
        { key: 'ui.density', value: 'comfortable' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const events = (await findAuditEvents(t.db, { where: { targetId: user.id, action: 'settings.updated' }, orderBy: { at: 'asc' } })).map(
      ({ actorId, targetType, changes }) => ({ actorId, targetType, changes }),
    );
    expect(events).toEqual([
      { actorId: user.id, targetType: 'user', changes: { 'ui.page_size': { from: 20, to: 30 } } },
      {
        actorId: user.id,
        targetType: 'user',
        changes: {
          'ui.page_size': { from: 30, to: 40 },
          'profile.location': { from: '', to: 'Lyon' },
          'profile.location:isPublic': { from: true, to: false },
        },
      },
    ]);
  });

  it('writes the timezone setting to the profile: one value, seen by the profile too', async () => {
    const user = await newUser();
    const before = await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { version: true } });
    const res = await putMySettings(user, { settings: [{ key: 'timezone', value: 'Europe/Paris' }] });
    expect(res.statusCode).toBe(200);
    expect(byKey((res.json() as SettingsBody).settings).get('timezone')).toMatchObject({ value: 'Europe/Paris', isDefault: false });
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { timezone: true, version: true } })).toEqual({
      timezone: 'Europe/Paris',
      version: before.version + 1,
    });
    expect(await storedRows(user.id)).toEqual([]);
    const me = await rest(t.app, 'GET', '/users/me', { headers: user.headers });
    expect(me.json()).toMatchObject({ timezone: 'Europe/Paris' });

    const bad = await putMySettings(user, { settings: [{ key: 'timezone', value: 'Mars/Olympus' }] });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { issues: unknown[] }).issues).toEqual([
      { path: ['settings', 0, 'value'], message: 'timezone: must be an IANA time zone such as Europe/Paris' },
    ]);
    const visible = await putMySettings(user, {
      settings: [{ key: 'timezone', value: 'UTC', isPublic: true }],
    });
    expect(visible.statusCode).toBe(400);
    expect((visible.json() as { issues: unknown[] }).issues).toEqual([
      { path: ['settings', 0, 'isPublic'], message: 'timezone: the visibility of timezone cannot be changed' },
    ]);
  });

  it('needs user:update', async () => {
    const user = await newUser();
    const readOnly = await t.db.prisma.role.create({
      data: { name: `reader-${randomUUID().slice(0, 8)}`, permissions: { create: [{ permission: 'user:read' }] } },
      select: { id: true },
    });
    await t.db.prisma.userRole.deleteMany({ where: { userId: user.id } });
    await t.db.prisma.userRole.create({ data: { userId: user.id, roleId: readOnly.id } });
    expect((await rest(t.app, 'GET', '/users/me/settings', { headers: user.headers })).statusCode).toBe(200);
    const res = await putMySettings(user, { settings: [{ key: 'theme', value: 'dark' }] });
    expect(res.statusCode).toBe(403);
    expect(await storedRows(user.id)).toEqual([]);
  });
});

describe('users.settings (admins)', () => {
  it("reads and writes another user's settings with users:read / users:update, audited with the admin as actor", async () => {
    const user = await newUser();
    const put = await rest(t.app, 'PUT', `/users/${user.id}/settings`, {
      headers: admin.headers,
      body: {
        settings: [{ key: 'security.session_timeout_minutes', value: 15 }],
        expectedVersion: 1,
      },
    });
    expect(put.statusCode, JSON.stringify(put.json())).toBe(200);
    expect((put.json() as SettingsBody).version).toBe(2);
    const get = await rest(t.app, 'GET', `/users/${user.id}/settings?category=security`, { headers: admin.headers });
    expect(get.statusCode).toBe(200);
    expect((get.json() as SettingsBody).settings.map((setting) => [setting.key, setting.value])).toEqual([
      ['security.session_timeout_minutes', 15],
      ['security.login_alerts', true],
    ]);
    expect(byKey((await mySettings(user)).settings).get('security.session_timeout_minutes')?.value).toBe(15);
    const event = await findAuditEvent(t.db, { where: { targetId: user.id, action: 'settings.updated' } });
    expect({ actorId: event?.actorId, changes: event?.changes }).toEqual({
      actorId: admin.id,
      changes: { 'security.session_timeout_minutes': { from: 60, to: 15 } },
    });

    const trpcGet = await trpc(t.app, 'query', 'users.settings.get', { headers: admin.headers, input: { id: user.id } });
    expect((trpcData(trpcGet) as SettingsBody).version).toBe(2);
  });

  it('applies the same rules and version check as the me procedures', async () => {
    const user = await newUser();
    const bad = await rest(t.app, 'PUT', `/users/${user.id}/settings`, {
      headers: admin.headers,
      body: {
        settings: [{ key: 'security.session_timeout_minutes', value: 1 }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { issues: unknown[] }).issues).toEqual([
      { path: ['settings', 0, 'value'], message: 'security.session_timeout_minutes: must be at least 5' },
    ]);
    const stale = await rest(t.app, 'PUT', `/users/${user.id}/settings`, {
      headers: admin.headers,
      body: {
        settings: [{ key: 'theme', value: 'dark' }],
        expectedVersion: 7,
      },
    });
    expect(stale.statusCode).toBe(409);
    expect(await storedRows(user.id)).toEqual([]);
  });

  it('answers 404 for an unknown user and 403 without the permission', async () => {
    const user = await newUser();
    const other = await newUser();
    expect((await rest(t.app, 'GET', `/users/${randomUUID()}/settings`, { headers: admin.headers })).statusCode).toBe(404);
    expect(
      (
        await rest(t.app, 'PUT', `/users/${randomUUID()}/settings`, {
          headers: admin.headers,
          body: { settings: [{ key: 'theme', value: 'dark' }] },
        })
      ).statusCode,
    ).toBe(404);
    expect((await rest(t.app, 'GET', `/users/${other.id}/settings`, { headers: user.headers })).statusCode).toBe(403);
    expect(
      (
        await rest(t.app, 'PUT', `/users/${other.id}/settings`, {
          headers: user.headers,
          body: { settings: [{ key: 'theme', value: 'dark' }] },
        })
      ).statusCode,
    ).toBe(403);
    expect((await rest(t.app, 'GET', '/users/not-a-uuid/settings', { headers: admin.headers })).statusCode).toBe(400);
    expect(await storedRows(other.id)).toEqual([]);
  });
});

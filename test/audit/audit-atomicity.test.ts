import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

// No change without its event: the audit insert shares the change's transaction, so a failing insert
// takes the change down with it. And once written, an event cannot be altered or removed.

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin', 'user'] });
  // Only this test's own database gets the failing trigger, and only for actions listed in refused_audit_actions.
  await t.db.prisma.$executeRawUnsafe('CREATE TABLE refused_audit_actions (action text PRIMARY KEY)');
  await t.db.prisma.$executeRawUnsafe(`
    CREATE FUNCTION refuse_audit_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM refused_audit_actions WHERE action = NEW.action) THEN
        RAISE EXCEPTION 'audit insert refused for %', NEW.action;
      END IF;
      RETURN NEW;
    END;
    $$`);
  await t.db.prisma.$executeRawUnsafe(
    'CREATE TRIGGER refuse_audit_insert BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit_insert()',
  );
});
afterAll(() => t.close());

const refuse = (action: string) => t.db.prisma.$executeRaw`INSERT INTO refused_audit_actions (action) VALUES (${action})`;
const allow = (action: string) => t.db.prisma.$executeRaw`DELETE FROM refused_audit_actions WHERE action = ${action}`;

const putSettings = (user: SignedIn, settings: { key: string; value: unknown }[]) =>
  rest(t.app, 'PUT', '/users/me/settings', { headers: user.headers, body: { settings } });
const storedSettings = (userId: string) => t.db.prisma.userSetting.findMany({ where: { userId }, select: { key: true, value: true } });

const rolePermissions = async (name: string) =>
  (
    await t.db.prisma.role.findUnique({
      where: { name },
      select: { permissions: { select: { permission: true }, orderBy: { permission: 'asc' } } },
    })
  )?.permissions.map((link) => link.permission) ?? null;

const ghostRole = { name: 'ghost-role', permissions: ['users:read'] };

describe('a failed audit insert rolls the change back', () => {
  it('rbac.roles.create: 5xx on both transports and no role row', async () => {
    await refuse('role.created');
    const viaRest = await rest(t.app, 'POST', '/rbac/roles', { headers: admin.headers, body: ghostRole });
    expect(viaRest.statusCode).toBe(500);
    expect(viaRest.json()).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
    expect(viaRest.body).not.toContain('audit insert refused');

    const viaTrpc = await trpc(t.app, 'mutation', 'rbac.roles.create', { headers: admin.headers, input: ghostRole });
    expect(viaTrpc.statusCode).toBe(500);
    expect(viaTrpc.json().error.message).toBe('Internal server error');

    expect(await t.db.prisma.role.count({ where: { name: 'ghost-role' } })).toBe(0);
    expect(await t.db.prisma.auditEvent.count({ where: { targetId: 'ghost-role' } })).toBe(0);
    // The failure is logged for operators, with its cause.
    expect(t.logs.join('\n')).toContain('audit insert refused for role.created');

    await allow('role.created');
    const retried = await rest(t.app, 'POST', '/rbac/roles', { headers: admin.headers, body: ghostRole });
    expect(retried.statusCode).toBe(201);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'role.created', targetId: 'ghost-role' } })).toBe(1);
  });

  it('rbac.roles.update: the permissions stay as they were', async () => {
    await refuse('role.updated');
    const res = await rest(t.app, 'PUT', '/rbac/roles/ghost-role', {
      headers: admin.headers,
      body: { description: 'changed', permissions: ['audit:read'] },
    });
    expect(res.statusCode).toBe(500);
    expect(await rolePermissions('ghost-role')).toEqual(['users:read']);
    expect((await t.db.prisma.role.findUnique({ where: { name: 'ghost-role' }, select: { description: true } }))?.description).toBe('');
    await allow('role.updated');
  });

  it('rbac.roles.delete: the role and its holders stay', async () => {
    const holder = await createSignedInUser(t.db.prisma, t.config, { roles: ['ghost-role'] });
    await refuse('role.deleted');
    const res = await rest(t.app, 'DELETE', '/rbac/roles/ghost-role', { headers: admin.headers });
    expect(res.statusCode).toBe(500);
    expect(await rolePermissions('ghost-role')).toEqual(['users:read']);
    expect(await t.db.prisma.userRole.count({ where: { userId: holder.id, role: { name: 'ghost-role' } } })).toBe(1);
    await allow('role.deleted');
  });

  // The settings write is one statement (version, rows, timezone and event together), not a transaction.
  it('settings and preferences: no row, no version, no timezone change', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const stored = () =>
      Promise.all([
        storedSettings(user.id),
        t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { settingsVersion: true, version: true, timezone: true } }),
      ]);
    const before = await stored();

    await refuse('settings.updated');
    const settings = await putSettings(user, [
      { key: 'theme', value: 'dark' },
      { key: 'timezone', value: 'Europe/Paris' },
    ]);
    expect(settings.statusCode).toBe(500);
    await refuse('preferences.updated');
    const preferences = await rest(t.app, 'PUT', '/users/me/preferences', {
      headers: user.headers,
      body: { theme: 'light', timezone: 'Asia/Tokyo' },
    });
    expect(preferences.statusCode).toBe(500);
    expect(await stored()).toEqual(before);

    await allow('settings.updated');
    await allow('preferences.updated');
    const retried = await putSettings(user, [{ key: 'theme', value: 'dark' }]);
    expect(retried.statusCode).toBe(200);
    expect(await storedSettings(user.id)).toEqual([{ key: 'theme', value: 'dark' }]);
  });

  it('a settings key missing from the catalog table fails closed: 500 and nothing written', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const hide = (from: string, to: string) => t.db.prisma.$executeRaw`UPDATE settings_catalog SET key = ${to} WHERE key = ${from}`;
    expect(await hide('ui.density', 'hidden.ui.density')).toBe(1);
    try {
      const res = await putSettings(user, [
        { key: 'theme', value: 'dark' },
        { key: 'ui.density', value: 'compact' },
      ]);
      expect(res.statusCode).toBe(500);
      expect(await storedSettings(user.id)).toEqual([]);
      expect(await t.db.prisma.auditEvent.count({ where: { targetId: user.id, action: 'settings.updated' } })).toBe(0);
    } finally {
      await hide('hidden.ui.density', 'ui.density');
    }
  });
});

describe('the audit trail is append-only at the database', () => {
  it('rejects UPDATE, DELETE and TRUNCATE of events the API wrote', async () => {
    const before = await t.db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
    expect(before.length).toBeGreaterThan(0);
    const event = before[0]!;

    await expect(t.db.prisma.auditEvent.update({ where: { id: event.id }, data: { action: 'tampered' } })).rejects.toThrow(/append-only/);
    await expect(t.db.prisma.$executeRaw`UPDATE audit_events SET target_id = NULL WHERE id = ${event.id}::uuid`).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.prisma.auditEvent.deleteMany({ where: { action: 'role.created' } })).rejects.toThrow(/append-only/);
    // CASCADE: the personal parts reference the events, so a plain TRUNCATE is refused even before the trigger.
    await expect(t.db.prisma.$executeRawUnsafe('TRUNCATE audit_events CASCADE')).rejects.toThrow(/append-only/);

    expect(await t.db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });
});

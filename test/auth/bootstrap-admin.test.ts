import { ensureBootstrapAdmin } from '@ums/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { createUser } from '../support/users.ts';

let t: TestApp;
const admin = { email: 'root@example.com', password: 'bootstrap admin passphrase' };

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const rolesOf = async (email: string) =>
  (
    await t.db.prisma.user.findUniqueOrThrow({ where: { email }, select: { roles: { select: { role: { select: { name: true } } } } } })
  ).roles
    .map((link) => link.role.name)
    .sort();

describe('ensureBootstrapAdmin', () => {
  it('creates the admin once, who can sign in; a second run changes nothing', async () => {
    expect(await ensureBootstrapAdmin({ db: t.db }, admin)).toBe('created');
    expect(await rolesOf(admin.email)).toEqual(['admin', 'user']);
    const login = await rest(t.app, 'POST', '/auth/login', { body: admin });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.roles).toEqual(['admin', 'user']);

    expect(await ensureBootstrapAdmin({ db: t.db }, admin)).toBe('exists');
    expect(await ensureBootstrapAdmin({ db: t.db }, { ...admin, password: 'another passphrase entirely' })).toBe('exists');
    expect(await t.db.prisma.user.count()).toBe(1);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.bootstrap_admin' } })).toBe(1);
    // The stored password is the first one: a second run never resets it.
    expect((await rest(t.app, 'POST', '/auth/login', { body: admin })).statusCode).toBe(200);
  });

  it('does nothing when an active admin already exists', async () => {
    await createUser(t.db.prisma, { email: 'existing-admin@example.com', roles: ['admin', 'user'] });
    expect(await ensureBootstrapAdmin({ db: t.db }, admin)).toBe('exists');
    expect(await t.db.prisma.user.count({ where: { email: admin.email } })).toBe(0);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.bootstrap_admin' } })).toBe(0);
  });

  it('promotes (and reactivates) the account when the address exists but no active admin does', async () => {
    await createUser(t.db.prisma, { email: admin.email, isActive: false });
    await createUser(t.db.prisma, { email: 'inactive-admin@example.com', roles: ['admin'], isActive: false });
    expect(await ensureBootstrapAdmin({ db: t.db }, admin)).toBe('promoted');
    expect(await rolesOf(admin.email)).toEqual(['admin', 'user']);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { email: admin.email }, select: { isActive: true } })).toEqual({
      isActive: true,
    });
    expect(await ensureBootstrapAdmin({ db: t.db }, admin)).toBe('exists');
  });

  it('is skipped without BOOTSTRAP_ADMIN_*', async () => {
    expect(await ensureBootstrapAdmin({ db: t.db }, null)).toBe('skipped');
    expect(await t.db.prisma.user.count()).toBe(0);
  });
});

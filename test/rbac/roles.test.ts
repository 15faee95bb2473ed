import { permissionCatalog, permissionNames } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { type RestMethod, rest, trpc } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin', 'user'] });
});
afterAll(() => t.close());

/** A REST call as `caller`, with a user agent for the audit events to record. */
const restAs = (method: RestMethod, url: string, caller: SignedIn, body?: object) =>
  rest(t.app, method, url, { headers: { ...caller.headers, 'user-agent': 'roles-test' }, body });

const mutationAs = (procedure: string, caller: SignedIn, input: object) =>
  trpc(t.app, 'mutation', procedure, { headers: caller.headers, input });

const roleRow = (name: string) =>
  t.db.prisma.role.findUnique({
    where: { name },
    select: { name: true, description: true, builtIn: true, permissions: { select: { permission: true }, orderBy: { permission: 'asc' } } },
  });

const auditFor = (action: string, targetId: string) =>
  findAuditEvents(t.db, { where: { action, targetId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });

/** A user with a custom role holding exactly these permissions. */
async function signedInWith(roleName: string, permissions: string[]): Promise<SignedIn> {
  await t.db.prisma.role.create({ data: { name: roleName, permissions: { create: permissions.map((permission) => ({ permission })) } } });
  return createSignedInUser(t.db.prisma, t.config, { roles: [roleName] });
}

describe('rbac.permissions.list', () => {
  it('lists the whole catalog with descriptions, on both transports', async () => {
    const expected = [...permissionNames].sort().map((name) => ({ name, description: permissionCatalog[name] }));
    const viaRest = await restAs('GET', '/rbac/permissions', admin);
    expect(viaRest.statusCode).toBe(200);
    expect(viaRest.json()).toEqual({ items: expected });
    const viaTrpc = await trpc(t.app, 'query', 'rbac.permissions.list', { headers: admin.headers });
    expect(viaTrpc.statusCode).toBe(200);
    expect(viaTrpc.json().result.data).toEqual({ items: expected });
  });
});

describe('rbac.roles.list', () => {
  it('shows the built-in roles: admin with every permission, user with its own data', async () => {
    const res = await restAs('GET', '/rbac/roles', admin);
    expect(res.statusCode).toBe(200);
    const items: { name: string }[] = res.json().items;
    expect(items.find((role) => role.name === 'admin')).toEqual({
      name: 'admin',
      description: expect.any(String),
      permissions: [...permissionNames].sort(),
      builtIn: true,
      requireMfa: false,
    });
    expect(items.find((role) => role.name === 'user')).toEqual({
      name: 'user',
      description: expect.any(String),
      permissions: ['user:read', 'user:update'],
      builtIn: true,
      requireMfa: false,
    });
    expect(items.map((role) => role.name)).toEqual([...items.map((role) => role.name)].sort());
  });
});

describe('rbac.roles.create', () => {
  it('creates a role: REST 201 with the Role, the row, and a role.created event with the request facts', async () => {
    const res = await rest(t.app, 'POST', '/rbac/roles', {
      headers: { ...admin.headers, 'user-agent': 'roles-test', 'x-request-id': 'req-create-support' },
      body: { name: 'support', description: '  Helps users  ', permissions: ['users:read', 'audit:read', 'users:read'] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      name: 'support',
      description: 'Helps users',
      permissions: ['audit:read', 'users:read'],
      builtIn: false,
      requireMfa: false,
    });
    expect(await roleRow('support')).toEqual({
      name: 'support',
      description: 'Helps users',
      builtIn: false,
      permissions: [{ permission: 'audit:read' }, { permission: 'users:read' }],
    });
    const [event, ...more] = await auditFor('role.created', 'support');
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({
      actorId: admin.id,
      targetType: 'role',
      targetId: 'support',
      userAgent: 'roles-test',
      requestId: 'req-create-support',
      changes: {
        name: { from: null, to: 'support' },
        description: { from: null, to: 'Helps users' },
        permissions: { from: null, to: ['audit:read', 'users:read'] },
      },
    });
    expect(event?.ip).toEqual(expect.any(String));
  });

  it('creates over tRPC (200) with an empty description and no permissions', async () => {
    const res = await mutationAs('rbac.roles.create', admin, { name: 'empty-role', permissions: [] });
    expect(res.statusCode).toBe(200);
    expect(res.json().result.data).toEqual({ name: 'empty-role', description: '', permissions: [], builtIn: false, requireMfa: false });
  });

  it('refuses a taken name with 409, built-in names included, and changes nothing', async () => {
    await restAs('POST', '/rbac/roles', admin, { name: 'taken', permissions: ['users:read'] });
    const again = await restAs('POST', '/rbac/roles', admin, { name: 'taken', permissions: ['audit:read'] });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('taken') });
    expect((await roleRow('taken'))?.permissions).toEqual([{ permission: 'users:read' }]);

    const builtIn = await mutationAs('rbac.roles.create', admin, { name: 'admin', permissions: [] });
    expect(builtIn.statusCode).toBe(409);
    expect(builtIn.json().error.data.code).toBe('CONFLICT');
    expect(await auditFor('role.created', 'taken')).toHaveLength(1);
    expect(await auditFor('role.created', 'admin')).toHaveLength(0);
  });

  it('lets exactly one of two concurrent creates of one name win', async () => {
    const results = await Promise.all([
      restAs('POST', '/rbac/roles', admin, { name: 'racer', permissions: ['users:read'] }),
      restAs('POST', '/rbac/roles', admin, { name: 'racer', permissions: ['audit:read'] }),
    ]);
    expect(results.map((res) => res.statusCode).sort()).toEqual([201, 409]);
    expect(await auditFor('role.created', 'racer')).toHaveLength(1);
  });

  it('answers 400 naming the field for an unknown permission, a bad name or an unknown field', async () => {
    const unknownPermission = await restAs('POST', '/rbac/roles', admin, { name: 'bad-perm', permissions: ['users:read', 'users:fly'] });
    expect(unknownPermission.statusCode).toBe(400);
    expect(unknownPermission.json()).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [{ path: ['permissions', 1], message: expect.any(String) }],
    });

    const overTrpc = await mutationAs('rbac.roles.create', admin, { name: 'bad-perm', permissions: ['nope'] });
    expect(overTrpc.statusCode).toBe(400);
    expect(overTrpc.json().error.data.issues).toEqual([{ path: ['permissions', 0], message: expect.any(String) }]);

    const badName = await restAs('POST', '/rbac/roles', admin, { name: 'Has Spaces', permissions: [] });
    expect(badName.statusCode).toBe(400);
    expect(badName.json()).toMatchObject({ issues: [{ path: ['name'], message: expect.any(String) }] });

    const extra = await restAs('POST', '/rbac/roles', admin, { name: 'extra-field', permissions: [], builtIn: true });
    expect(extra.statusCode).toBe(400);
    expect(await roleRow('bad-perm')).toBeNull();
    expect(await roleRow('extra-field')).toBeNull();
  });

  it('does not let roles:manage grant permissions its holder lacks (403), but does let it grant its own', async () => {
    const manager = await signedInWith('role-manager', ['roles:manage', 'roles:read', 'users:read']);
    const escalate = await restAs('POST', '/rbac/roles', manager, { name: 'escalated', permissions: ['users:read', 'audit:read'] });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json().message).toContain('audit:read');
    expect(await roleRow('escalated')).toBeNull();

    const allowed = await restAs('POST', '/rbac/roles', manager, { name: 'readers', permissions: ['users:read'] });
    expect(allowed.statusCode).toBe(201);

    const selfEscalate = await restAs('PUT', '/rbac/roles/role-manager', manager, {
      permissions: ['roles:manage', 'roles:read', 'users:delete'],
    });
    expect(selfEscalate.statusCode).toBe(403);
    expect((await roleRow('role-manager'))?.permissions.map((link) => link.permission)).toEqual([
      'roles:manage',
      'roles:read',
      'users:read',
    ]);

    // Dropping permissions, even ones the caller lacks, is always allowed.
    await t.db.prisma.role.create({
      data: { name: 'auditor', permissions: { create: [{ permission: 'audit:read' }, { permission: 'users:read' }] } },
    });
    const narrow = await restAs('PUT', '/rbac/roles/auditor', manager, { permissions: ['users:read'] });
    expect(narrow.statusCode).toBe(200);
    expect(narrow.json().permissions).toEqual(['users:read']);
  });
});

describe('rbac.roles.update', () => {
  it("replaces a role's permissions and description, auditing a from/to diff", async () => {
    await restAs('POST', '/rbac/roles', admin, { name: 'editors', description: 'old', permissions: ['users:read', 'users:update'] });
    const res = await restAs('PUT', '/rbac/roles/editors', admin, { description: 'new', permissions: ['users:update', 'users:delete'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'editors',
      description: 'new',
      permissions: ['users:delete', 'users:update'],
      builtIn: false,
      requireMfa: false,
    });
    expect((await roleRow('editors'))?.permissions.map((link) => link.permission)).toEqual(['users:delete', 'users:update']);
    const [event] = await auditFor('role.updated', 'editors');
    expect(event).toMatchObject({
      actorId: admin.id,
      targetType: 'role',
      changes: {
        description: { from: 'old', to: 'new' },
        permissions: { from: ['users:read', 'users:update'], to: ['users:delete', 'users:update'] },
      },
    });
  });

  it('leaves omitted fields alone, and writes no event when nothing changes', async () => {
    await restAs('POST', '/rbac/roles', admin, { name: 'stable', description: 'keep', permissions: ['users:read'] });
    const onlyPermissions = await mutationAs('rbac.roles.update', admin, { name: 'stable', permissions: ['users:read', 'audit:read'] });
    expect(onlyPermissions.statusCode).toBe(200);
    expect(onlyPermissions.json().result.data).toEqual({
      name: 'stable',
      description: 'keep',
      permissions: ['audit:read', 'users:read'],
      builtIn: false,
      requireMfa: false,
    });
    const events = await auditFor('role.updated', 'stable');
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toEqual({ permissions: { from: ['users:read'], to: ['audit:read', 'users:read'] } });

    const same = await restAs('PUT', '/rbac/roles/stable', admin, { description: 'keep', permissions: ['users:read', 'audit:read'] });
    expect(same.statusCode).toBe(200);
    expect(await auditFor('role.updated', 'stable')).toHaveLength(1);
  });

  it('answers 404 for an unknown role and 400 for an unknown permission', async () => {
    const missing = await restAs('PUT', '/rbac/roles/no-such-role', admin, { description: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    const overTrpc = await mutationAs('rbac.roles.update', admin, { name: 'no-such-role', description: 'x' });
    expect(overTrpc.statusCode).toBe(404);

    const badPermission = await restAs('PUT', '/rbac/roles/user', admin, { permissions: ['user:read', 'root:everything'] });
    expect(badPermission.statusCode).toBe(400);
    expect(badPermission.json()).toMatchObject({ issues: [{ path: ['permissions', 1], message: expect.any(String) }] });
  });

  it("refuses to change the admin role's permissions (409), but accepts the full set and a new description", async () => {
    const narrowed = await restAs('PUT', '/rbac/roles/admin', admin, { permissions: ['users:read'] });
    expect(narrowed.statusCode).toBe(409);
    expect(narrowed.json()).toMatchObject({ code: 'CONFLICT' });
    const emptied = await mutationAs('rbac.roles.update', admin, { name: 'admin', permissions: [] });
    expect(emptied.statusCode).toBe(409);
    expect((await roleRow('admin'))?.permissions.map((link) => link.permission)).toEqual([...permissionNames].sort());

    const full = await restAs('PUT', '/rbac/roles/admin', admin, { description: 'Runs the place', permissions: [...permissionNames] });
    expect(full.statusCode).toBe(200);
    expect(full.json()).toEqual({
      name: 'admin',
      description: 'Runs the place',
      permissions: [...permissionNames].sort(),
      builtIn: true,
      requireMfa: false,
    });
    const [event, ...more] = await auditFor('role.updated', 'admin');
    expect(more).toHaveLength(0);
    expect(Object.keys(event?.changes ?? {})).toEqual(['description']);
  });

  it("lets the built-in user role's permissions be edited", async () => {
    const res = await restAs('PUT', '/rbac/roles/user', admin, { permissions: ['user:read', 'user:update', 'roles:read'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'user', builtIn: true, permissions: ['roles:read', 'user:read', 'user:update'] });
    const restored = await restAs('PUT', '/rbac/roles/user', admin, { permissions: ['user:read', 'user:update'] });
    expect(restored.statusCode).toBe(200);
  });
});

describe('rbac.roles.delete', () => {
  it('deletes a custom role (204, empty body), takes it from its holders and audits how many there were', async () => {
    await restAs('POST', '/rbac/roles', admin, { name: 'temps', permissions: ['users:read'] });
    const holders = await Promise.all([1, 2].map(() => createUser(t.db.prisma, { roles: ['user', 'temps'] })));
    const bystander = await createUser(t.db.prisma, { roles: ['user'] });

    const res = await rest(t.app, 'DELETE', '/rbac/roles/temps', { headers: admin.headers });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(await roleRow('temps')).toBeNull();
    for (const holder of [...holders, bystander]) {
      const roles = await t.db.prisma.userRole.findMany({ where: { userId: holder.id }, select: { role: { select: { name: true } } } });
      expect(roles.map((link) => link.role.name)).toEqual(['user']);
    }
    const [event] = await auditFor('role.deleted', 'temps');
    expect(event).toMatchObject({
      actorId: admin.id,
      targetType: 'role',
      changes: {
        name: { from: 'temps', to: null },
        permissions: { from: ['users:read'], to: null },
        assignedUsers: { from: 2, to: 0 },
      },
    });
  });

  it('deletes over tRPC too, then the name is free again', async () => {
    await restAs('POST', '/rbac/roles', admin, { name: 'phoenix', permissions: [] });
    const res = await mutationAs('rbac.roles.delete', admin, { name: 'phoenix' });
    expect(res.statusCode).toBe(200);
    expect((await restAs('POST', '/rbac/roles', admin, { name: 'phoenix', permissions: [] })).statusCode).toBe(201);
  });

  it('refuses to delete a built-in role (409) and answers 404 for an unknown one', async () => {
    for (const name of ['admin', 'user']) {
      const res = await restAs('DELETE', `/rbac/roles/${name}`, admin);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'CONFLICT' });
      expect(await roleRow(name)).not.toBeNull();
    }
    const builtInOverTrpc = await mutationAs('rbac.roles.delete', admin, { name: 'admin' });
    expect(builtInOverTrpc.statusCode).toBe(409);
    const missing = await restAs('DELETE', '/rbac/roles/ghost', admin);
    expect(missing.statusCode).toBe(404);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'role.deleted', targetId: { in: ['admin', 'user', 'ghost'] } } })).toBe(0);
  });
});

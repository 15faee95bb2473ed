import { randomUUID } from 'node:crypto';
import { BULK_MAX_IDS, bulkActionPermissions, permissionNames, roleBulkActions, type TBulkAction, type TBulkResult } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  // One permission each: the last-admin rules are then reached without the caller being an admin itself.
  await t.db.prisma.role.create({ data: { name: 'bulk-janitor', permissions: { create: [{ permission: 'users:delete' }] } } });
  await t.db.prisma.role.create({ data: { name: 'bulk-assigner', permissions: { create: [{ permission: 'roles:assign' }] } } });
  await t.db.prisma.role.create({ data: { name: 'support', permissions: { create: [{ permission: 'users:read' }] } } });
  // No permissions: anyone with roles:assign may hand it out.
  await t.db.prisma.role.create({ data: { name: 'bulk-badge' } });
});
afterAll(() => t.close());

async function bulk(caller: SignedIn, body: Record<string, unknown>): Promise<TBulkResult> {
  const res = await rest(t.app, 'POST', '/users/bulk', { headers: caller.headers, body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const eventsOn = (targetId: string, action: string) => findAuditEvents(t.db, { where: { targetId, action } });
const isActive = async (id: string) => (await t.db.prisma.user.findUniqueOrThrow({ where: { id } })).isActive;
const liveSessions = (userId: string) => t.db.prisma.userSession.count({ where: { userId, revokedAt: null } });
/** Every active admin, the file's own admin last: it is the one the last-admin rule keeps. */
const activeAdminsEndingWithOurs = async () => {
  const rows = await t.db.prisma.user.findMany({
    where: { isActive: true, roles: { some: { role: { name: 'admin' } } }, id: { not: admin.id } },
    select: { id: true },
  });
  return [...rows.map((row) => row.id), admin.id];
};
const rolesOf = async (userId: string) =>
  (await t.db.prisma.userRole.findMany({ where: { userId }, select: { role: { select: { name: true } } } }))
    .map((link) => link.role.name)
    .sort();

describe('users.bulk deactivate', () => {
  it('answers every id in input order: done, unknown, the caller, already inactive; one event per change, none per refusal', async () => {
    const first = await createSignedInUser(t.db.prisma, t.config);
    const second = await createSignedInUser(t.db.prisma, t.config);
    const inactive = await createUser(t.db.prisma, { isActive: false });
    const unknown = randomUUID();
    const ids = [first.id, unknown, admin.id, inactive.id, second.id];

    const { results } = await bulk(admin, { action: 'deactivate', ids, reason: 'offboarding' });

    expect(results).toEqual([
      { id: first.id, ok: true },
      { id: unknown, ok: false, code: 'NOT_FOUND', message: 'No such user' },
      { id: admin.id, ok: false, code: 'CONFLICT', message: 'You cannot deactivate your own account' },
      { id: inactive.id, ok: true },
      { id: second.id, ok: true },
    ]);
    for (const user of [first, second]) {
      expect(await isActive(user.id)).toBe(false);
      expect(await liveSessions(user.id)).toBe(0);
      expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).statusCode).toBe(401);
      const events = await eventsOn(user.id, 'user.deactivated');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actorId: admin.id, impersonatorId: null });
      expect(events[0]?.changes).toMatchObject({ deactivationReason: { from: null, to: 'offboarding' } });
    }
    // Refused or unchanged items leave no event and change nothing.
    expect(await isActive(admin.id)).toBe(true);
    for (const id of [unknown, admin.id, inactive.id]) expect(await eventsOn(id, 'user.deactivated')).toHaveLength(0);
    expect((await rest(t.app, 'GET', '/users/me', { headers: admin.headers })).statusCode).toBe(200);
  });

  it('runs a repeated id once: its repeats (in any letter case) carry the first answer and duplicateOf', async () => {
    const user = await createUser(t.db.prisma);
    const unknown = randomUUID();
    const { results } = await bulk(admin, { action: 'deactivate', ids: [user.id, unknown, user.id.toUpperCase(), unknown] });
    expect(results).toEqual([
      { id: user.id, ok: true },
      { id: unknown, ok: false, code: 'NOT_FOUND', message: 'No such user' },
      { id: user.id.toUpperCase(), ok: true, duplicateOf: 0 },
      { id: unknown, ok: false, code: 'NOT_FOUND', message: 'No such user', duplicateOf: 1 },
    ]);
    expect(await eventsOn(user.id, 'user.deactivated')).toHaveLength(1);
  });

  it('refuses the caller in capitals too', async () => {
    const { results } = await bulk(admin, { action: 'deactivate', ids: [admin.id.toUpperCase()] });
    expect(results).toEqual([
      { id: admin.id.toUpperCase(), ok: false, code: 'CONFLICT', message: 'You cannot deactivate your own account' },
    ]);
    expect(await isActive(admin.id)).toBe(true);
  });
});

describe('users.bulk validation', () => {
  const expectIssueAt = (body: string, path: string) =>
    expect(JSON.parse(body).issues.map((issue: { path: string[] }) => issue.path[0])).toContain(path);

  it(`more than ${BULK_MAX_IDS} ids, or none, is a 400 naming ids and runs nothing`, async () => {
    const user = await createUser(t.db.prisma);
    const tooMany = [user.id, ...Array.from({ length: BULK_MAX_IDS }, () => randomUUID())];
    const res = await rest(t.app, 'POST', '/users/bulk', { headers: admin.headers, body: { action: 'deactivate', ids: tooMany } });
    expect(res.statusCode).toBe(400);
    expectIssueAt(res.body, 'ids');
    expect(await isActive(user.id)).toBe(true);
    const none = await trpc(t.app, 'mutation', 'users.bulk', { headers: admin.headers, input: { action: 'deactivate', ids: [] } });
    expect(none.statusCode).toBe(400);
    expect(trpcError(none).data.issues?.map((issue) => issue.path[0])).toContain('ids');
    // Exactly the limit is accepted.
    const atLimit = await bulk(admin, { action: 'reactivate', ids: tooMany.slice(0, BULK_MAX_IDS) });
    expect(atLimit.results).toHaveLength(BULK_MAX_IDS);
    expect(atLimit.results[0]).toEqual({ id: user.id, ok: true });
  });

  it('a non-UUID id is a 400 naming that entry', async () => {
    const res = await rest(t.app, 'POST', '/users/bulk', { headers: admin.headers, body: { action: 'deactivate', ids: ['not-a-uuid'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([expect.objectContaining({ path: ['ids', 0] })]);
  });

  it('role: required for assignRole/removeRole, refused elsewhere, must exist — 400 naming role', async () => {
    const user = await createUser(t.db.prisma);
    for (const body of [
      { action: 'assignRole', ids: [user.id] },
      { action: 'removeRole', ids: [user.id] },
      { action: 'assignRole', ids: [user.id], role: 'no-such-role' },
      { action: 'deactivate', ids: [user.id], role: 'user' },
    ]) {
      const res = await rest(t.app, 'POST', '/users/bulk', { headers: admin.headers, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expectIssueAt(res.body, 'role');
    }
    expect(await isActive(user.id)).toBe(true);
    expect(await rolesOf(user.id)).toEqual(['user']);
  });

  it('an unknown action is a 400 naming action', async () => {
    const res = await rest(t.app, 'POST', '/users/bulk', { headers: admin.headers, body: { action: 'erase', ids: [randomUUID()] } });
    expect(res.statusCode).toBe(400);
    expectIssueAt(res.body, 'action');
  });
});

describe('users.bulk permissions, generated from the action → permission map', () => {
  const actions = Object.entries(bulkActionPermissions) as [TBulkAction, (typeof permissionNames)[number]][];

  it.each(actions)('%s without %s: 403 for the whole call, nothing runs', async (action, permission) => {
    const roleName = `bulk-all-but-${action}`;
    await t.db.prisma.role.create({
      data: { name: roleName, permissions: { create: permissionNames.filter((p) => p !== permission).map((p) => ({ permission: p })) } },
    });
    const caller = await createSignedInUser(t.db.prisma, t.config, { roles: [roleName] });
    const target = await createSignedInUser(t.db.prisma, t.config, { isActive: action !== 'reactivate' });
    const before = { active: await isActive(target.id), sessions: await liveSessions(target.id), roles: await rolesOf(target.id) };
    const body = {
      action,
      ids: [target.id],
      ...(roleBulkActions.includes(action) ? { role: action === 'assignRole' ? 'bulk-badge' : 'user' } : {}),
    };

    const res = await rest(t.app, 'POST', '/users/bulk', { headers: caller.headers, body });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining(permission) });
    expect({ active: await isActive(target.id), sessions: await liveSessions(target.id), roles: await rolesOf(target.id) }).toEqual(before);
    expect(await t.db.prisma.auditEvent.count({ where: { targetId: target.id } })).toBe(0);

    // The same call with that one permission runs.
    await t.db.prisma.role.create({ data: { name: `${roleName}-only`, permissions: { create: [{ permission }] } } });
    const allowed = await createSignedInUser(t.db.prisma, t.config, { roles: [`${roleName}-only`] });
    const done = await rest(t.app, 'POST', '/users/bulk', { headers: allowed.headers, body });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().results).toEqual([{ id: target.id, ok: true }]);
    expect(await t.db.prisma.auditEvent.count({ where: { targetId: target.id } })).toBe(1);
  });
});

describe('users.bulk other actions', () => {
  it('reactivate: inactive users come back, unknown ids are NOT_FOUND, one event per change', async () => {
    const inactive = await createUser(t.db.prisma, { isActive: false });
    const active = await createUser(t.db.prisma);
    const unknown = randomUUID();
    const { results } = await bulk(admin, { action: 'reactivate', ids: [inactive.id, unknown, active.id] });
    expect(results).toEqual([
      { id: inactive.id, ok: true },
      { id: unknown, ok: false, code: 'NOT_FOUND', message: 'No such user' },
      { id: active.id, ok: true },
    ]);
    expect(await isActive(inactive.id)).toBe(true);
    expect(await eventsOn(inactive.id, 'user.reactivated')).toHaveLength(1);
    expect(await eventsOn(active.id, 'user.reactivated')).toHaveLength(0);
  });

  it('revokeSessions: every session of each user ends (they stay active), audited; the caller is refused', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const { results } = await bulk(admin, { action: 'revokeSessions', ids: [user.id, admin.id] });
    expect(results).toEqual([
      { id: user.id, ok: true },
      { id: admin.id, ok: false, code: 'CONFLICT', message: 'You cannot revoke your own sessions here; use auth.logoutAll' },
    ]);
    expect(await liveSessions(user.id)).toBe(0);
    expect(await isActive(user.id)).toBe(true);
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).statusCode).toBe(401);
    const [event, ...more] = await eventsOn(user.id, 'user.sessions_revoked');
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ actorId: admin.id, targetType: 'user', changes: { liveSessions: { from: 1, to: 0 } } });
    expect((await rest(t.app, 'GET', '/users/me', { headers: admin.headers })).statusCode).toBe(200);
  });

  it('assignRole and removeRole: one user.roles_set per change, users already so answered ok without an event', async () => {
    const plain = await createUser(t.db.prisma);
    const already = await createUser(t.db.prisma, { roles: ['user', 'support'] });
    const assigned = await bulk(admin, { action: 'assignRole', ids: [plain.id, already.id], role: 'support' });
    expect(assigned.results).toEqual([
      { id: plain.id, ok: true },
      { id: already.id, ok: true },
    ]);
    expect(await rolesOf(plain.id)).toEqual(['support', 'user']);
    expect(await eventsOn(plain.id, 'user.roles_set')).toEqual([
      expect.objectContaining({ changes: { roles: { from: ['user'], to: ['support', 'user'] } } }),
    ]);
    expect(await eventsOn(already.id, 'user.roles_set')).toHaveLength(0);

    const removed = await bulk(admin, { action: 'removeRole', ids: [plain.id, already.id], role: 'support' });
    expect(removed.results.every((result) => result.ok)).toBe(true);
    expect(await rolesOf(plain.id)).toEqual(['user']);
    expect(await rolesOf(already.id)).toEqual(['user']);
    expect(await eventsOn(plain.id, 'user.roles_set')).toHaveLength(2);
  });

  it('a role whose permissions the caller lacks is refused per item (FORBIDDEN), as users.roles.set refuses it', async () => {
    const assigner = await createSignedInUser(t.db.prisma, t.config, { roles: ['bulk-assigner'] });
    const user = await createUser(t.db.prisma);
    const { results } = await bulk(assigner, { action: 'assignRole', ids: [user.id], role: 'admin' });
    expect(results).toEqual([{ id: user.id, ok: false, code: 'FORBIDDEN', message: expect.stringContaining('permissions you hold') }]);
    expect(await rolesOf(user.id)).toEqual(['user']);
  });
});

// Last: these take the admin role away from everyone but the file's admin and give it back.
describe('users.bulk and the last active admin', () => {
  it('deactivating every admin: all go but the last, which is refused (CONFLICT)', async () => {
    const janitor = await createSignedInUser(t.db.prisma, t.config, { roles: ['bulk-janitor'] });
    const otherAdmin = await createUser(t.db.prisma, { roles: ['admin'] });
    const ids = await activeAdminsEndingWithOurs();
    expect(ids).toContain(otherAdmin.id);

    const { results } = await bulk(janitor, { action: 'deactivate', ids });
    expect(results.slice(0, -1).every((result) => result.ok)).toBe(true);
    expect(results.at(-1)).toEqual({ id: admin.id, ok: false, code: 'CONFLICT', message: 'This would leave no active admin' });
    expect(await isActive(admin.id)).toBe(true);
    expect(await eventsOn(admin.id, 'user.deactivated')).toHaveLength(0);
    expect(await isActive(otherAdmin.id)).toBe(false);

    // The survivor brings the others back for the next test.
    const back = await bulk(admin, { action: 'reactivate', ids: ids.slice(0, -1) });
    expect(back.results.every((result) => result.ok)).toBe(true);
  });

  it('removing the admin role from every admin: refused for the last one', async () => {
    const assigner = await createSignedInUser(t.db.prisma, t.config, { roles: ['bulk-assigner'] });
    const ids = await activeAdminsEndingWithOurs();
    expect(ids.length).toBeGreaterThan(1);
    const { results } = await bulk(assigner, { action: 'removeRole', ids, role: 'admin' });
    expect(results.slice(0, -1).every((result) => result.ok)).toBe(true);
    expect(results.at(-1)).toEqual({ id: admin.id, ok: false, code: 'CONFLICT', message: 'This would leave no active admin' });
    expect(await rolesOf(admin.id)).toContain('admin');
    for (const id of ids.slice(0, -1)) expect(await rolesOf(id)).not.toContain('admin');
  });
});

describe('users.bulk over tRPC', () => {
  it('answers the same shape', async () => {
    const user = await createUser(t.db.prisma);
    const res = await trpc(t.app, 'mutation', 'users.bulk', { headers: admin.headers, input: { action: 'deactivate', ids: [user.id] } });
    expect(res.statusCode).toBe(200);
    expect(trpcData(res)).toEqual({ results: [{ id: user.id, ok: true }] });
  });
});

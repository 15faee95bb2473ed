import { ZUser } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['user', 'admin'] });
  await t.db.prisma.role.create({ data: { name: 'support', permissions: { create: [{ permission: 'users:read' }] } } });
});
afterAll(() => t.close());

const putRoles = (id: string, roles: unknown, headers = admin.headers) =>
  rest(t.app, 'PUT', `/users/${id}/roles`, { headers, body: { roles } });
const rolesOf = async (userId: string) =>
  (await t.db.prisma.userRole.findMany({ where: { userId }, select: { role: { select: { name: true } } } }))
    .map((link) => link.role.name)
    .sort();
const eventsOf = (targetId: string) => findAuditEvents(t.db, { where: { targetId, action: 'user.roles_set' } });

describe('users.roles.set', () => {
  it('replaces the roles exactly, bumps the version and audits from/to', async () => {
    const user = await createUser(t.db.prisma);
    const res = await putRoles(user.id, ['support', 'user', 'support']);
    expect(res.statusCode).toBe(200);
    expect(ZUser.parse(res.json())).toMatchObject({ id: user.id, roles: ['support', 'user'], version: 2 });
    expect(await rolesOf(user.id)).toEqual(['support', 'user']);

    const removed = await putRoles(user.id, ['support']);
    expect(removed.json()).toMatchObject({ roles: ['support'], version: 3 });
    expect(await rolesOf(user.id)).toEqual(['support']);

    const events = await eventsOf(user.id);
    expect(events.map((event) => event.changes)).toEqual(
      expect.arrayContaining([
        { roles: { from: ['user'], to: ['support', 'user'] } },
        { roles: { from: ['support', 'user'], to: ['support'] } },
      ]),
    );
    expect(events.every((event) => event.actorId === admin.id)).toBe(true);
  });

  it('changes nothing when the roles are already those', async () => {
    const user = await createUser(t.db.prisma);
    const res = await trpc(t.app, 'mutation', 'users.roles.set', { headers: admin.headers, input: { id: user.id, roles: ['user'] } });
    expect(res.statusCode).toBe(200);
    expect(trpcData(res)).toMatchObject({ roles: ['user'], version: 1 });
    expect(await eventsOf(user.id)).toHaveLength(0);
  });

  it('takes effect on the user’s very next request, with the same token', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    expect((await rest(t.app, 'GET', '/users?limit=1', { headers: user.headers })).statusCode).toBe(403);
    await putRoles(user.id, ['user', 'support']);
    expect((await rest(t.app, 'GET', '/users?limit=1', { headers: user.headers })).statusCode).toBe(200);
    await putRoles(user.id, ['user']);
    expect((await rest(t.app, 'GET', '/users?limit=1', { headers: user.headers })).statusCode).toBe(403);
  });

  it('rejects unknown roles with 400 naming each, and changes nothing', async () => {
    const user = await createUser(t.db.prisma);
    const res = await putRoles(user.id, ['user', 'ghost', 'support', 'superuser']);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [
        { path: ['roles', 1], message: expect.stringContaining('ghost') },
        { path: ['roles', 3], message: expect.stringContaining('superuser') },
      ],
    });
    const trpcRes = await trpc(t.app, 'mutation', 'users.roles.set', { headers: admin.headers, input: { id: user.id, roles: ['ghost'] } });
    expect(trpcRes.statusCode).toBe(400);
    expect(trpcError(trpcRes)?.data.issues).toEqual([{ path: ['roles', 0], message: expect.stringContaining('ghost') }]);
    expect(await rolesOf(user.id)).toEqual(['user']);
    expect(await eventsOf(user.id)).toHaveLength(0);
  });

  it('rejects a malformed body with 400', async () => {
    const user = await createUser(t.db.prisma);
    expect((await putRoles(user.id, 'admin')).statusCode).toBe(400);
    expect(
      (await rest(t.app, 'PUT', `/users/${user.id}/roles`, { headers: admin.headers, body: { roles: ['user'], isActive: false } }))
        .statusCode,
    ).toBe(400);
  });

  it('refuses to leave no active admin (409), and allows it while another admin remains', async () => {
    const alone = await putRoles(admin.id, ['user']);
    expect(alone.statusCode).toBe(409);
    expect(alone.json()).toMatchObject({ code: 'CONFLICT' });
    expect(await rolesOf(admin.id)).toEqual(['admin', 'user']);

    const second = await createUser(t.db.prisma, { roles: ['admin'] });
    const demoted = await putRoles(second.id, ['user']);
    expect(demoted.statusCode).toBe(200);
    expect(await putRoles(admin.id, ['user'])).toMatchObject({ statusCode: 409 });

    await putRoles(second.id, ['admin']);
    const selfDemoted = await putRoles(admin.id, ['user']);
    expect(selfDemoted.statusCode).toBe(200);
    // The demoted admin loses roles:assign on the next request.
    expect((await putRoles(second.id, ['user'], admin.headers)).statusCode).toBe(403);
  });

  // Granting a role hands out its permissions: roles:assign alone must not reach admin (D5 in docs/security.md).
  it('a caller with only roles:assign cannot make themselves admin', async () => {
    await t.db.prisma.role.create({ data: { name: 'assigner', permissions: { create: [{ permission: 'roles:assign' }] } } });
    const assigner = await createSignedInUser(t.db.prisma, t.config, { roles: ['user', 'assigner'] });
    const res = await rest(t.app, 'PUT', `/users/${assigner.id}/roles`, {
      headers: assigner.headers,
      body: { roles: ['user', 'assigner', 'admin'] },
    });
    expect(res.statusCode, res.body).toBe(403);
  });
});

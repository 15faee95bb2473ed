import { ZUser } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';
import { rest, trpc } from './helpers.ts';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['user', 'admin'] });
  await t.db.prisma.role.create({ data: { name: 'support', permissions: { create: [{ permission: 'users:read' }] } } });
});
afterAll(() => t.close());

const putRoles = (id: string, roles: unknown, headers = admin.headers) => rest(t.app, 'PUT', `/users/${id}/roles`, headers, { roles });
const rolesOf = async (userId: string) =>
  (await t.db.prisma.userRole.findMany({ where: { userId }, select: { role: { select: { name: true } } } }))
    .map((link) => link.role.name)
    .sort();
const eventsOf = (targetId: string) => t.db.prisma.auditEvent.findMany({ where: { targetId, action: 'user.roles_set' } });

describe('users.roles.set', () => {
  it('replaces the roles exactly, bumps the version and audits from/to', async () => {
    const user = await createUser(t.db.prisma);
    const res = await putRoles(user.id, ['support', 'user', 'support']);
    expect(res.status).toBe(200);
    expect(ZUser.parse(res.body)).toMatchObject({ id: user.id, roles: ['support', 'user'], version: 2 });
    expect(await rolesOf(user.id)).toEqual(['support', 'user']);

    const removed = await putRoles(user.id, ['support']);
    expect(removed.body).toMatchObject({ roles: ['support'], version: 3 });
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
    const res = await trpc(t.app, 'mutation', 'users.roles.set', { id: user.id, roles: ['user'] }, admin.headers);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ roles: ['user'], version: 1 });
    expect(await eventsOf(user.id)).toHaveLength(0);
  });

  it('takes effect on the user’s very next request, with the same token', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    expect((await rest(t.app, 'GET', '/users?limit=1', user.headers)).status).toBe(403);
    await putRoles(user.id, ['user', 'support']);
    expect((await rest(t.app, 'GET', '/users?limit=1', user.headers)).status).toBe(200);
    await putRoles(user.id, ['user']);
    expect((await rest(t.app, 'GET', '/users?limit=1', user.headers)).status).toBe(403);
  });

  it('rejects unknown roles with 400 naming each, and changes nothing', async () => {
    const user = await createUser(t.db.prisma);
    const res = await putRoles(user.id, ['user', 'ghost', 'support', 'superuser']);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'BAD_REQUEST',
      issues: [
        { path: ['roles', 1], message: expect.stringContaining('ghost') },
        { path: ['roles', 3], message: expect.stringContaining('superuser') },
      ],
    });
    const trpcRes = await trpc(t.app, 'mutation', 'users.roles.set', { id: user.id, roles: ['ghost'] }, admin.headers);
    expect(trpcRes.status).toBe(400);
    expect(trpcRes.error?.issues).toEqual([{ path: ['roles', 0], message: expect.stringContaining('ghost') }]);
    expect(await rolesOf(user.id)).toEqual(['user']);
    expect(await eventsOf(user.id)).toHaveLength(0);
  });

  it('rejects a malformed body with 400', async () => {
    const user = await createUser(t.db.prisma);
    expect((await putRoles(user.id, 'admin')).status).toBe(400);
    expect((await rest(t.app, 'PUT', `/users/${user.id}/roles`, admin.headers, { roles: ['user'], isActive: false })).status).toBe(400);
  });

  it('refuses to leave no active admin (409), and allows it while another admin remains', async () => {
    const alone = await putRoles(admin.id, ['user']);
    expect(alone.status).toBe(409);
    expect(alone.body).toMatchObject({ code: 'CONFLICT' });
    expect(await rolesOf(admin.id)).toEqual(['admin', 'user']);

    const second = await createUser(t.db.prisma, { roles: ['admin'] });
    const demoted = await putRoles(second.id, ['user']);
    expect(demoted.status).toBe(200);
    expect(await putRoles(admin.id, ['user'])).toMatchObject({ status: 409 });

    await putRoles(second.id, ['admin']);
    const selfDemoted = await putRoles(admin.id, ['user']);
    expect(selfDemoted.status).toBe(200);
    // The demoted admin loses roles:assign on the next request.
    expect((await putRoles(second.id, ['user'], admin.headers)).status).toBe(403);
  });
});

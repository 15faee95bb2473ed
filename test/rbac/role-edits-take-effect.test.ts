import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

// Permissions are re-read on every request, so a role edit counts from the caller's very next call, on the
// same access token, without signing in again.

let t: TestApp;
let admin: SignedIn;
let auditor: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin', 'user'] });
  auditor = await createSignedInUser(t.db.prisma, t.config, { roles: ['user'] });
});
afterAll(() => t.close());

const listAuditOverRest = () => rest(t.app, 'GET', '/audit-events?limit=1', { headers: auditor.headers });
const listAuditOverTrpc = () => trpc(t.app, 'query', 'audit.list', { headers: auditor.headers });

/** Stands in for users.roles.set (built in parallel): the user_roles row, written directly. */
async function assignRole(userId: string, roleName: string) {
  const role = await t.db.prisma.role.findUniqueOrThrow({ where: { name: roleName }, select: { id: true } });
  await t.db.prisma.userRole.create({ data: { userId, roleId: role.id } });
}

describe('role edits take effect on the next request', () => {
  it('grants with the role, and denies the very next call once the permission is removed from it', async () => {
    expect((await listAuditOverRest()).statusCode).toBe(403);

    const created = await rest(t.app, 'POST', '/rbac/roles', {
      headers: admin.headers,
      body: { name: 'auditors', permissions: ['audit:read'] },
    });
    expect(created.statusCode).toBe(201);
    await assignRole(auditor.id, 'auditors');

    expect((await listAuditOverRest()).statusCode).toBe(200);
    expect((await listAuditOverTrpc()).statusCode).toBe(200);

    const narrowed = await rest(t.app, 'PUT', '/rbac/roles/auditors', { headers: admin.headers, body: { permissions: ['roles:read'] } });
    expect(narrowed.statusCode).toBe(200);

    const denied = await listAuditOverRest();
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await listAuditOverTrpc()).statusCode).toBe(403);
    // The permission that stayed works, on the same token.
    expect((await rest(t.app, 'GET', '/rbac/roles', { headers: auditor.headers })).statusCode).toBe(200);
  });

  it('grants again as soon as the permission is given back, and denies once the role is deleted', async () => {
    const widened = await trpc(t.app, 'mutation', 'rbac.roles.update', {
      headers: admin.headers,
      input: { name: 'auditors', permissions: ['roles:read', 'audit:read'] },
    });
    expect(widened.statusCode).toBe(200);
    expect((await listAuditOverRest()).statusCode).toBe(200);

    const deleted = await rest(t.app, 'DELETE', '/rbac/roles/auditors', { headers: admin.headers });
    expect(deleted.statusCode).toBe(204);
    expect((await listAuditOverRest()).statusCode).toBe(403);
    expect((await rest(t.app, 'GET', '/rbac/roles', { headers: auditor.headers })).statusCode).toBe(403);
    // Still signed in: losing a role is a 403, never a 401.
    expect((await rest(t.app, 'GET', '/users/me', { headers: auditor.headers })).statusCode).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/users.ts';

// The hot paths (session check, users.list) format timestamps in SQL; the others through Prisma's Date objects.
// Both must write exactly what Date.prototype.toISOString writes.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const instants = {
  createdAt: new Date('2026-01-02T03:04:05.007Z'),
  updatedAt: new Date('2026-12-31T23:59:59.000Z'),
  lastLoginAt: new Date('2001-09-09T01:46:40.120Z'),
};

describe('user timestamps on the wire', () => {
  it('are the same ISO-8601 text from the session check, users.list and users.get', async () => {
    const admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin', 'user'], fullName: 'Timestamp Probe' });
    await t.db.prisma.user.update({ where: { id: admin.id }, data: instants });
    const expected = {
      createdAt: instants.createdAt.toISOString(),
      updatedAt: instants.updatedAt.toISOString(),
      lastLoginAt: instants.lastLoginAt.toISOString(),
      deactivatedAt: null,
    };

    const me = await t.app.inject({ url: '/api/v1/users/me', headers: admin.headers });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject(expected);

    const list = await t.app.inject({ url: '/api/v1/users?search=timestamp%20probe', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([expect.objectContaining({ id: admin.id, ...expected })]);

    const byId = await t.app.inject({ url: `/api/v1/users/${admin.id}`, headers: admin.headers });
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toMatchObject(expected);
  });
});

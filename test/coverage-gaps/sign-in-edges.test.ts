import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser, createUser } from '../support/users.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('a stored password hash that cannot be read', () => {
  it('answers the usual 401 for any password, never a 500', async () => {
    const user = await createUser(t.db.prisma);
    await t.db.prisma.user.update({ where: { id: user.id }, data: { passwordHash: 'not-an-argon2-hash' } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe("a session's lastUsedAt", () => {
  it('moves when a request comes after a minute of silence, not on every request', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const lastUsedAt = async () =>
      (
        await t.db.prisma.userSession.findUniqueOrThrow({ where: { id: user.sessionId }, select: { lastUsedAt: true } })
      ).lastUsedAt.getTime();

    const recent = await lastUsedAt();
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: user.headers })).statusCode).toBe(200);
    expect(await lastUsedAt()).toBe(recent);

    const idle = new Date(Date.now() - 2 * 60_000);
    await t.db.prisma.userSession.update({ where: { id: user.sessionId }, data: { lastUsedAt: idle } });
    const before = Date.now();
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: user.headers })).statusCode).toBe(200);
    expect(await lastUsedAt()).toBeGreaterThanOrEqual(before - 1000);
  });
});

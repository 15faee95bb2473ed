import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { changesMatch, findAuditEvents } from '../support/audit-events.ts';
import { bearer, rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createUser } from '../support/users.ts';

let t: TestApp;
const password = 'a long enough passphrase';

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('auth.register', () => {
  it('creates an account with the user role, signed in at once (REST 201)', async () => {
    const res = await rest(t.app, 'POST', '/auth/register', {
      body: { email: '  New.Person@Example.COM ', password, fullName: 'New Person' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      user: {
        email: 'new.person@example.com',
        fullName: 'New Person',
        roles: ['user'],
        isActive: true,
        version: 1,
        lastLoginAt: expect.any(String),
      },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'user']);

    const me = await rest(t.app, 'GET', '/users/me', { headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: body.user.id, permissions: ['user:read', 'user:update'] });

    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: body.user.id }, select: { passwordHash: true } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = await findAuditEvents(t.db, { where: { action: 'auth.register', targetId: body.user.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: body.user.id, targetType: 'user' });
    expect(audit[0]?.changes).toMatchObject({ email: { from: null, to: 'new.person@example.com' }, roles: { to: ['user'] } });
  });

  it('works over tRPC with the same result shape', async () => {
    const res = await trpc(t.app, 'mutation', 'auth.register', { input: { email: 'trpc-register@example.com', password } });
    expect(res.statusCode).toBe(200);
    expect(trpcData(res)).toMatchObject({ user: { email: 'trpc-register@example.com', fullName: null, roles: ['user'] }, expiresIn: 900 });
  });

  it('answers 409 for a taken email, whatever its case', async () => {
    await createUser(t.db.prisma, { email: 'taken@example.com' });
    const res = await rest(t.app, 'POST', '/auth/register', { body: { email: 'TAKEN@example.com', password } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONFLICT' });
    const overTrpc = await trpc(t.app, 'mutation', 'auth.register', { input: { email: 'taken@example.com', password } });
    expect(overTrpc.statusCode).toBe(409);
    expect(trpcError(overTrpc).data.code).toBe('CONFLICT');
  });

  it('creates exactly one account under 20 concurrent registrations of one email', async () => {
    const email = 'race@example.com';
    const results = await Promise.all(
      Array.from({ length: 20 }, () => rest(t.app, 'POST', '/auth/register', { body: { email, password } })),
    );
    const statuses = results.map((res) => res.statusCode).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    expect(await t.db.prisma.user.count({ where: { email } })).toBe(1);
    expect(
      await t.db.prisma.auditEvent.count({ where: { action: 'auth.register', ...changesMatch({ path: ['email', 'to'], equals: email }) } }),
    ).toBe(1);
  });

  it('validates the input: email, password length, password equal to the email, unknown fields', async () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ email: 'not-an-email', password }, ['email']],
      [{ email: 'short@example.com', password: 'too short' }, ['password']],
      [{ email: 'long@example.com', password: 'x'.repeat(129) }, ['password']],
      [{ email: 'same.as.password@example.com', password: 'Same.As.Password@example.com' }, ['password']],
      [{ email: 'extra@example.com', password, roles: ['admin'] }, []],
      [{ email: `${'a'.repeat(250)}@example.com`, password }, ['email']],
    ];
    for (const [body, path] of cases) {
      const res = await rest(t.app, 'POST', '/auth/register', { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('BAD_REQUEST');
      if (path.length > 0) expect(res.json().issues.map((issue: { path: unknown }) => issue.path)).toContainEqual(path);
    }
    expect(await t.db.prisma.user.count({ where: { email: { in: ['extra@example.com', 'short@example.com'] } } })).toBe(0);
  });
});

describe('auth.register with REGISTRATION=closed', () => {
  it('answers 403 on both transports and creates nothing', async () => {
    const closed = await createTestApp({ REGISTRATION: 'closed' });
    try {
      const res = await rest(closed.app, 'POST', '/auth/register', { body: { email: 'closed@example.com', password } });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: 'Registration is closed' });
      const overTrpc = await trpc(closed.app, 'mutation', 'auth.register', { input: { email: 'closed@example.com', password } });
      expect(overTrpc.statusCode).toBe(403);
      expect(await closed.db.prisma.user.count()).toBe(0);
    } finally {
      await closed.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvent, findAuditEvents } from '../support/audit-events.ts';
import { bearer, rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createUser, type TestUser } from '../support/users.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

async function logIn(user: TestUser): Promise<Tokens> {
  const res = await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const meStatus = async (accessToken: string) => (await rest(t.app, 'GET', '/users/me', { headers: bearer(accessToken) })).statusCode;
const refresh = (refreshToken: string) => rest(t.app, 'POST', '/auth/refresh', { body: { refreshToken } });
const sessionOf = async (accessToken: string) => {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString());
  return t.db.prisma.userSession.findUniqueOrThrow({
    where: { id: payload.sid },
    select: { id: true, revokedAt: true, revokedReason: true },
  });
};

describe('auth.refresh', () => {
  it('rotates: new tokens for the same session, and the old refresh token stops working', async () => {
    const user = await createUser(t.db.prisma);
    const first = await logIn(user);
    const res = await refresh(first.refreshToken);
    expect(res.statusCode).toBe(200);
    const second = res.json();
    expect(Object.keys(second).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(second.expiresIn).toBe(900);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await sessionOf(second.accessToken)).id).toBe((await sessionOf(first.accessToken)).id);
    expect(await meStatus(second.accessToken)).toBe(200);

    // The new one works in turn, over tRPC too.
    const third = await trpc(t.app, 'mutation', 'auth.refresh', { input: { refreshToken: second.refreshToken } });
    expect(third.statusCode).toBe(200);
    expect(trpcData(third)).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
  });

  it('treats an already-rotated token as theft: 401 and the whole session is revoked', async () => {
    const user = await createUser(t.db.prisma);
    const first = await logIn(user);
    const second = (await refresh(first.refreshToken)).json();
    const other = await logIn(user);

    const reuse = await refresh(first.refreshToken);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toMatchObject({ code: 'UNAUTHORIZED' });

    const session = await sessionOf(first.accessToken);
    expect(session.revokedAt).not.toBeNull();
    expect(session.revokedReason).toBe('refresh token reuse');
    // Every token of that session is dead: the access tokens and the newest refresh token.
    expect(await meStatus(second.accessToken)).toBe(401);
    expect(await meStatus(first.accessToken)).toBe(401);
    expect((await refresh(second.refreshToken)).statusCode).toBe(401);
    // Other sessions of the user are not touched.
    expect(await meStatus(other.accessToken)).toBe(200);

    const audit = await findAuditEvents(t.db, { where: { action: 'auth.refresh_reuse', targetId: session.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: null, targetType: 'session' });
  });

  it('lets exactly one of two concurrent refreshes with one token through, and revokes the session', async () => {
    const user = await createUser(t.db.prisma);
    const tokens = await logIn(user);
    const results = await Promise.all([refresh(tokens.refreshToken), refresh(tokens.refreshToken)]);
    expect(results.map((res) => res.statusCode).sort()).toEqual([200, 401]);
    expect((await sessionOf(tokens.accessToken)).revokedAt).not.toBeNull();
    const winner = results.find((res) => res.statusCode === 200)?.json();
    expect((await refresh(winner.refreshToken)).statusCode).toBe(401);
    const session = await sessionOf(tokens.accessToken);
    expect(await t.db.prisma.refreshToken.count({ where: { sessionId: session.id } })).toBeLessThanOrEqual(2);
  });

  it('refuses unknown, malformed, revoked-session and deactivated-user tokens with the same 401', async () => {
    const user = await createUser(t.db.prisma);
    const loggedOut = await logIn(user);
    expect((await rest(t.app, 'POST', '/auth/logout', { headers: bearer(loggedOut.accessToken) })).statusCode).toBe(204);
    const deactivatedUser = await createUser(t.db.prisma);
    const deactivated = await logIn(deactivatedUser);
    await t.db.prisma.user.update({ where: { id: deactivatedUser.id }, data: { isActive: false } });

    const bodies = [];
    for (const refreshToken of ['x', 'A'.repeat(43), loggedOut.refreshToken, deactivated.refreshToken]) {
      const res = await refresh(refreshToken);
      expect(res.statusCode, refreshToken).toBe(401);
      bodies.push(res.json().message);
    }
    expect(new Set(bodies).size).toBe(1);
    const overTrpc = await trpc(t.app, 'mutation', 'auth.refresh', { input: { refreshToken: 'nope' } });
    expect(overTrpc.statusCode).toBe(401);
    expect(trpcError(overTrpc).data.code).toBe('UNAUTHORIZED');
    expect((await refresh('')).statusCode).toBe(400);
  });

  it('refuses a refresh token whose session has expired', async () => {
    const user = await createUser(t.db.prisma);
    const tokens = await logIn(user);
    const session = await sessionOf(tokens.accessToken);
    await t.db.prisma.userSession.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await refresh(tokens.refreshToken)).statusCode).toBe(401);
  });
});

describe('auth.logout and auth.logoutAll', () => {
  it('logout revokes only the current session (REST 204)', async () => {
    const user = await createUser(t.db.prisma);
    const current = await logIn(user);
    const other = await logIn(user);
    const res = await rest(t.app, 'POST', '/auth/logout', { headers: bearer(current.accessToken) });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(await meStatus(current.accessToken)).toBe(401);
    expect((await refresh(current.refreshToken)).statusCode).toBe(401);
    expect(await meStatus(other.accessToken)).toBe(200);
    const session = await sessionOf(current.accessToken);
    expect(session.revokedReason).toBe('logout');
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'auth.logout', targetId: session.id, actorId: user.id } })).toBe(1);
    // Logging out again with the dead token is a 401, not a second event.
    expect((await rest(t.app, 'POST', '/auth/logout', { headers: bearer(current.accessToken) })).statusCode).toBe(401);
  });

  it('logout works over tRPC', async () => {
    const user = await createUser(t.db.prisma);
    const tokens = await logIn(user);
    const res = await trpc(t.app, 'mutation', 'auth.logout', { headers: bearer(tokens.accessToken) });
    expect(res.statusCode).toBe(200);
    expect(await meStatus(tokens.accessToken)).toBe(401);
  });

  it('logoutAll revokes every session of the caller, and nobody else’s (REST 204)', async () => {
    const user = await createUser(t.db.prisma);
    const sessions = [await logIn(user), await logIn(user), await logIn(user)];
    const bystander = await createUser(t.db.prisma);
    const bystanderTokens = await logIn(bystander);
    const res = await rest(t.app, 'POST', '/auth/logout-all', { headers: bearer(sessions[0]?.accessToken ?? '') });
    expect(res.statusCode).toBe(204);
    for (const tokens of sessions) {
      expect(await meStatus(tokens.accessToken)).toBe(401);
      expect((await refresh(tokens.refreshToken)).statusCode).toBe(401);
    }
    expect(await meStatus(bystanderTokens.accessToken)).toBe(200);
    const audit = await findAuditEvent(t.db, { where: { action: 'auth.logout_all', targetId: user.id } });
    expect(audit?.changes).toEqual({ liveSessions: { from: 3, to: 0 } });
  });

  it('requires a signed-in caller', async () => {
    expect((await rest(t.app, 'POST', '/auth/logout')).statusCode).toBe(401);
    expect((await rest(t.app, 'POST', '/auth/logout-all')).statusCode).toBe(401);
    expect((await trpc(t.app, 'mutation', 'auth.logoutAll')).statusCode).toBe(401);
  });
});

describe('auth.changePassword', () => {
  const newPassword = 'a brand new passphrase';

  it('changes the password, keeps the current session and revokes all others (REST 204)', async () => {
    const user = await createUser(t.db.prisma);
    const current = await logIn(user);
    const other = await logIn(user);
    const res = await rest(t.app, 'POST', '/auth/change-password', {
      body: { currentPassword: user.password, newPassword },
      headers: bearer(current.accessToken),
    });
    expect(res.statusCode).toBe(204);
    expect(await meStatus(current.accessToken)).toBe(200);
    expect((await refresh(current.refreshToken)).statusCode).toBe(200);
    expect(await meStatus(other.accessToken)).toBe(401);
    expect((await refresh(other.refreshToken)).statusCode).toBe(401);

    expect((await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: user.password } })).statusCode).toBe(401);
    expect((await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: newPassword } })).statusCode).toBe(200);
    const audit = await findAuditEvent(t.db, { where: { action: 'auth.password_changed', targetId: user.id } });
    expect(audit).toMatchObject({ actorId: user.id });
    expect(audit?.changes).toEqual({ password: { from: '[redacted]', to: '[redacted]' }, otherLiveSessions: { from: 1, to: 0 } });
  });

  it('answers 400 naming currentPassword when it is wrong, and changes nothing', async () => {
    const user = await createUser(t.db.prisma);
    const current = await logIn(user);
    const other = await logIn(user);
    const before = await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    const res = await rest(t.app, 'POST', '/auth/change-password', {
      body: { currentPassword: 'not my password at all', newPassword },
      headers: bearer(current.accessToken),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: ['currentPassword'], message: expect.any(String) }] });
    const overTrpc = await trpc(t.app, 'mutation', 'auth.changePassword', {
      input: { currentPassword: 'not my password at all', newPassword },
      headers: bearer(current.accessToken),
    });
    expect(overTrpc.statusCode).toBe(400);
    expect(trpcError(overTrpc).data.issues).toEqual([{ path: ['currentPassword'], message: expect.any(String) }]);

    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } })).toEqual(before);
    expect(await meStatus(other.accessToken)).toBe(200);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'auth.password_changed', targetId: user.id } })).toBe(0);
  });

  it('refuses a new password that is too short, equal to the email or to the current one', async () => {
    const user = await createUser(t.db.prisma, { email: 'pw-rules@example.com' });
    const { accessToken } = await logIn(user);
    for (const candidate of ['short', 'PW-Rules@example.com', user.password]) {
      const res = await rest(t.app, 'POST', '/auth/change-password', {
        body: { currentPassword: user.password, newPassword: candidate },
        headers: bearer(accessToken),
      });
      expect(res.statusCode, candidate).toBe(400);
      expect(res.json().issues.map((issue: { path: unknown }) => issue.path)).toContainEqual(['newPassword']);
    }
  });
});

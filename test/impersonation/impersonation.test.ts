import { randomUUID } from 'node:crypto';
import { IMPERSONATION_REASONS, ZImpersonation } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { bearer, rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn, TEST_PASSWORD } from '../support/users.ts';

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  // Enough to impersonate plain users, not admins.
  await t.db.prisma.role.create({
    data: {
      name: 'helpdesk',
      permissions: { create: ['users:impersonate', 'users:read', 'user:read', 'user:update'].map((permission) => ({ permission })) },
    },
  });
});
afterAll(() => t.close());

const impersonate = (caller: SignedIn, id: string, body: unknown = { reason: 'Ticket 4711' }) =>
  rest(t.app, 'POST', `/users/${id}/impersonate`, { headers: caller.headers, body });

async function startImpersonation(caller: SignedIn, id: string, reason = 'Ticket 4711') {
  const res = await impersonate(caller, id, { reason });
  expect(res.statusCode, res.body).toBe(200);
  const body = ZImpersonation.strict().parse(res.json());
  return { ...body, headers: bearer(body.accessToken) };
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, number | string>;
const sessionsOf = (userId: string) => t.db.prisma.userSession.findMany({ where: { userId } });

describe('users.impersonate', () => {
  it("answers a session of the target: ≤ 1 h by the token's own claims, no refresh token, the target as user", async () => {
    const target = await createUser(t.db.prisma, { fullName: 'Grace Hopper' });
    const before = Date.now();
    const res = await impersonate(admin, target.id);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'user']);
    expect(body.user).toMatchObject({ id: target.id, fullName: 'Grace Hopper' });
    expect(body.expiresIn).toBeGreaterThan(0);
    expect(body.expiresIn).toBeLessThanOrEqual(3600);

    const claims = claimsOf(body.accessToken);
    expect(claims.sub).toBe(target.id);
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(3600);
    expect(Number(claims.exp) * 1000).toBeLessThanOrEqual(before + 3600_000 + 2000);

    const [session, ...others] = await sessionsOf(target.id);
    expect(others).toHaveLength(0);
    expect(session).toMatchObject({ id: claims.sid, impersonatorId: admin.id, revokedAt: null });
    expect(session!.expiresAt.getTime()).toBeLessThanOrEqual(before + 3600_000 + 2000);
    expect(await t.db.prisma.refreshToken.count({ where: { sessionId: session!.id } })).toBe(0);

    const me = await rest(t.app, 'GET', '/users/me', { headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: target.id, email: target.email });
  });

  it('records user.impersonation_started: the impersonator as actor, the target, the reason', async () => {
    const target = await createUser(t.db.prisma);
    const { accessToken } = await startImpersonation(admin, target.id, 'Checking the export button for ticket 99');
    const [event, ...more] = await findAuditEvents(t.db, {
      where: { targetId: target.id, action: 'user.impersonation_started' },
    });
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ actorId: admin.id, targetType: 'user', impersonatorId: null });
    expect(event!.changes).toMatchObject({
      reason: { from: null, to: 'Checking the export button for ticket 99' },
      sessionId: { from: null, to: claimsOf(accessToken).sid },
    });
    expect(JSON.stringify(event)).not.toContain(accessToken);
  });

  it("shows in the target's me.sessions.list with impersonatorId; the target's own sessions have null", async () => {
    const target = await createSignedInUser(t.db.prisma, t.config);
    const { accessToken } = await startImpersonation(admin, target.id);
    const sid = claimsOf(accessToken).sid;

    const own = await rest(t.app, 'GET', '/users/me/sessions', { headers: target.headers });
    expect(own.statusCode).toBe(200);
    const items = own.json().items as { id: string; impersonatorId: string | null; current: boolean }[];
    expect(items).toHaveLength(2);
    expect(items.find((item) => item.id === sid)).toMatchObject({ impersonatorId: admin.id, current: false });
    expect(items.find((item) => item.id === target.sessionId)).toMatchObject({ impersonatorId: null, current: true });

    const fromInside = await trpc(t.app, 'query', 'me.sessions.list', { headers: bearer(accessToken) });
    expect(trpcData(fromInside).items.find((item: { id: string }) => item.id === sid)).toMatchObject({
      impersonatorId: admin.id,
      current: true,
    });
  });

  it('every audit event made in it carries impersonatorId (audit.list too); events outside it carry null', async () => {
    const target = await createSignedInUser(t.db.prisma, t.config);
    const { headers } = await startImpersonation(admin, target.id);
    expect((await rest(t.app, 'PUT', '/users/me', { headers, body: { fullName: 'Changed While Impersonated' } })).statusCode).toBe(200);
    const prefs = await rest(t.app, 'PUT', '/users/me/preferences', { headers, body: { theme: 'dark' } });
    expect(prefs.statusCode, prefs.body).toBe(200);
    expect((await rest(t.app, 'PUT', '/users/me', { headers: target.headers, body: { fullName: 'Changed By Myself' } })).statusCode).toBe(
      200,
    );

    const listed = await rest(t.app, 'GET', `/audit-events?actorId=${target.id}`, { headers: admin.headers });
    expect(listed.statusCode).toBe(200);
    const events = listed.json().items as {
      action: string;
      actorId: string;
      impersonatorId: string | null;
      changes: Record<string, { to: unknown }>;
    }[];
    const byImpersonator = events.filter((event) => event.impersonatorId === admin.id);
    expect(byImpersonator.map((event) => event.action).sort()).toEqual(['preferences.updated', 'user.profile_updated']);
    expect(byImpersonator.every((event) => event.actorId === target.id)).toBe(true);
    const own = events.find((event) => event.changes.fullName?.to === 'Changed By Myself');
    expect(own).toMatchObject({ impersonatorId: null });
    // The stored rows agree with the list.
    expect(await t.db.prisma.auditEvent.count({ where: { actorId: target.id, impersonatorId: admin.id } })).toBe(byImpersonator.length);
  });

  it('logout with its token ends it; the target and the admin stay signed in', async () => {
    const target = await createSignedInUser(t.db.prisma, t.config);
    const { headers } = await startImpersonation(admin, target.id);
    expect((await rest(t.app, 'POST', '/auth/logout', { headers })).statusCode).toBe(204);
    expect((await rest(t.app, 'GET', '/users/me', { headers })).statusCode).toBe(401);
    expect((await rest(t.app, 'GET', '/users/me', { headers: target.headers })).statusCode).toBe(200);
    expect((await rest(t.app, 'GET', '/users/me', { headers: admin.headers })).statusCode).toBe(200);
  });

  it('cannot be refreshed: there is no refresh token, and refresh takes none from it', async () => {
    const target = await createUser(t.db.prisma);
    const { accessToken } = await startImpersonation(admin, target.id);
    const res = await rest(t.app, 'POST', '/auth/refresh', { body: { refreshToken: accessToken } });
    expect(res.statusCode).toBe(401);
  });

  it('refuses in it what would take the account over: step-up, password, email, MFA, passkeys, impersonating further', async () => {
    const target = await createUser(t.db.prisma, { roles: ['helpdesk'] });
    const victim = await createUser(t.db.prisma);
    const { headers } = await startImpersonation(admin, target.id);
    const calls: [string, string, unknown][] = [
      ['POST', '/auth/reauthenticate', { password: TEST_PASSWORD }],
      ['POST', '/auth/change-password', { currentPassword: TEST_PASSWORD, newPassword: 'another long passphrase' }],
      ['POST', '/users/me/email', { newEmail: `taken-over-${randomUUID()}@example.com`, currentPassword: TEST_PASSWORD }],
      ['POST', '/users/me/mfa/totp/setup', undefined],
      ['POST', '/users/me/passkeys/options', undefined],
      ['POST', `/users/${victim.id}/impersonate`, { reason: 'nested' }],
    ];
    for (const [method, path, body] of calls) {
      const res = await rest(t.app, method as 'POST', path, { headers, ...(body === undefined ? {} : { body }) });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(403);
      expect(res.json().reason, path).toBe(IMPERSONATION_REASONS.notAllowed);
    }
    const nested = await trpc(t.app, 'mutation', 'users.impersonate', { headers, input: { id: victim.id, reason: 'nested' } });
    expect(trpcError(nested).data.reason).toBe(IMPERSONATION_REASONS.notAllowed);
    // Nothing of it happened.
    expect(await sessionsOf(victim.id)).toHaveLength(0);
    const stored = await t.db.prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(stored.email).toBe(target.email);
    expect(await t.db.prisma.mfaTotpFactor.count({ where: { userId: target.id } })).toBe(0);
    expect(await t.db.prisma.accountToken.count({ where: { userId: target.id } })).toBe(0);
    // The target can still sign in with their own password: it was not changed.
    expect((await rest(t.app, 'POST', '/auth/login', { body: { email: target.email, password: TEST_PASSWORD } })).statusCode).toBe(200);
  });
});

describe('users.impersonate refusals', () => {
  it('is "recent": a session that proved no factor lately gets 403 REAUTH_REQUIRED and nothing starts', async () => {
    const stale = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
    await t.db.prisma.userSession.update({ where: { id: stale.sessionId }, data: { authenticatedAt: new Date(Date.now() - 3600_000) } });
    const target = await createUser(t.db.prisma);
    const res = await impersonate(stale, target.id);
    expect(res.statusCode).toBe(403);
    expect(res.json().reason).toBe('REAUTH_REQUIRED');
    expect(await sessionsOf(target.id)).toHaveLength(0);
  });

  it('needs a reason of 1–500 characters: 400 naming reason', async () => {
    const target = await createUser(t.db.prisma);
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 42 }]) {
      const res = await impersonate(admin, target.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().issues).toEqual([expect.objectContaining({ path: ['reason'] })]);
    }
    expect((await impersonate(admin, target.id, { reason: 'x'.repeat(500) })).statusCode).toBe(200);
  });

  it('refuses a target holding a permission the caller lacks (403), and yourself (403); nothing is written', async () => {
    const helpdesk = await createSignedInUser(t.db.prisma, t.config, { roles: ['helpdesk'] });
    const otherAdmin = await createUser(t.db.prisma, { roles: ['admin'] });
    const outranked = await impersonate(helpdesk, otherAdmin.id);
    expect(outranked.statusCode).toBe(403);
    expect(outranked.json().message).toContain('users:delete');
    const self = await impersonate(helpdesk, helpdesk.id);
    expect(self.statusCode).toBe(403);
    expect(self.json().message).toBe('You cannot impersonate yourself');
    expect((await impersonate(helpdesk, helpdesk.id.toUpperCase())).statusCode).toBe(403);
    expect(await sessionsOf(otherAdmin.id)).toHaveLength(0);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.impersonation_started', actorId: helpdesk.id } })).toBe(0);
    // A plain user holds nothing helpdesk lacks.
    const plain = await createUser(t.db.prisma);
    expect((await impersonate(helpdesk, plain.id)).statusCode).toBe(200);
  });

  it('unknown user → 404; deactivated user → 409', async () => {
    expect((await impersonate(admin, randomUUID())).statusCode).toBe(404);
    const inactive = await createUser(t.db.prisma, { isActive: false });
    const res = await impersonate(admin, inactive.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONFLICT', message: 'This user is deactivated' });
    expect(await sessionsOf(inactive.id)).toHaveLength(0);
  });

  it('without users:impersonate → 403', async () => {
    const reader = await createSignedInUser(t.db.prisma, t.config, { roles: ['user'] });
    const target = await createUser(t.db.prisma);
    expect((await impersonate(reader, target.id)).statusCode).toBe(403);
  });

  it('ends when the target is deactivated', async () => {
    const target = await createUser(t.db.prisma);
    const { headers } = await startImpersonation(admin, target.id);
    expect((await rest(t.app, 'DELETE', `/users/${target.id}`, { headers: admin.headers })).statusCode).toBe(200);
    expect((await rest(t.app, 'GET', '/users/me', { headers })).statusCode).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEventOrThrow } from '../support/audit-events.ts';
import { bearer, rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { type EnabledTotp, enableTotp, firstStep, secondStep } from '../support/mfa.ts';
import { awayFromStepEdge, currentStep, totpCode } from '../support/totp.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_LOCKOUT: '5' });
});
afterAll(async () => {
  await t?.close();
});

/** A user with TOTP on; the sign-in session the set-up was made from is left out of the counts below. */
async function userWithTotp(): Promise<SignedIn & EnabledTotp> {
  const user = await createSignedInUser(t.db.prisma, t.config);
  return { ...user, ...(await enableTotp(t.app, user.headers)) };
}

const sessionsOf = (userId: string, exceptSessionId: string) =>
  t.db.prisma.userSession.count({ where: { userId, id: { not: exceptSessionId } } });
const refreshTokensOf = (userId: string, exceptSessionId: string) =>
  t.db.prisma.refreshToken.count({ where: { session: { userId, id: { not: exceptSessionId } } } });
const loginEventsOf = (userId: string) => t.db.prisma.auditEvent.count({ where: { action: 'auth.login', targetId: userId } });

describe('auth.login with MFA on (the first step)', () => {
  it('answers the challenge and creates no session, no refresh token, no access token and no auth.login event', async () => {
    const user = await userWithTotp();
    const eventsBefore = await loginEventsOf(user.id);
    const res = await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), methods: ['totp', 'recovery_code'], expiresIn: 300 });
    expect(body.mfaToken.length).toBeGreaterThanOrEqual(40);
    expect(body).not.toHaveProperty('accessToken');
    expect(body).not.toHaveProperty('refreshToken');
    expect(await sessionsOf(user.id, user.sessionId)).toBe(0);
    expect(await refreshTokensOf(user.id, user.sessionId)).toBe(0);
    expect(await loginEventsOf(user.id)).toBe(eventsBefore);
    // Only the token's hash is kept.
    const challenge = await t.db.prisma.mfaChallenge.findFirstOrThrow({ where: { userId: user.id } });
    expect(challenge.tokenHash).not.toBe(body.mfaToken);
    expect(challenge.expiresAt.getTime() - Date.now()).toBeGreaterThan(290_000);

    const overTrpc = await trpc(t.app, 'mutation', 'auth.login', { input: { email: user.email, password: user.password } });
    expect(trpcData(overTrpc)).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
  });

  it('a wrong password is still the plain 401, with no challenge', async () => {
    const user = await userWithTotp();
    const res = await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: 'not the password at all' } });
    expect(res.statusCode).toBe(401);
    expect(await t.db.prisma.mfaChallenge.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe('auth.mfa.verify (the second step)', () => {
  it('creates the session with both factors; refresh keeps them', async () => {
    const user = await userWithTotp();
    const mfaToken = await firstStep(t.app, user);
    await awayFromStepEdge();
    const res = await secondStep(t.app, { mfaToken, code: totpCode(user.secret) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', user: { id: user.id, mfaEnabled: true }, expiresIn: expect.any(Number) });
    const sessions = await rest(t.app, 'GET', '/users/me/sessions', { headers: bearer(body.accessToken) });
    const current = sessions.json().items.find((s: { current: boolean }) => s.current);
    expect(current.methods).toEqual(['password', 'totp']);
    const event = await findAuditEventOrThrow(t.db, {
      where: { action: 'auth.login', targetId: user.id },
      orderBy: { at: 'desc' },
    });
    expect(event.changes).toMatchObject({ methods: { to: ['password', 'totp'] } });

    const refreshed = await rest(t.app, 'POST', '/auth/refresh', { body: { refreshToken: body.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    const after = await rest(t.app, 'GET', '/users/me/sessions', { headers: bearer(refreshed.json().accessToken) });
    const same = after.json().items.find((s: { current: boolean }) => s.current);
    expect(same).toMatchObject({ id: current.id, methods: ['password', 'totp'], authenticatedAt: current.authenticatedAt });
  });

  it('the token is single-use', async () => {
    const user = await userWithTotp();
    const mfaToken = await firstStep(t.app, user);
    await awayFromStepEdge();
    expect((await secondStep(t.app, { mfaToken, code: totpCode(user.secret) })).statusCode).toBe(200);
    const again = await secondStep(t.app, { mfaToken, code: totpCode(user.secret, currentStep() + 1) });
    expect(again.statusCode).toBe(401);
    expect(again.json().reason).toBe('MFA_TOKEN_INVALID');
  });

  it('refuses a replayed code in the same step, and a code of the neighbouring earlier step', async () => {
    const user = await userWithTotp();
    await awayFromStepEdge();
    const now = currentStep();
    const first = await secondStep(t.app, { mfaToken: await firstStep(t.app, user), code: totpCode(user.secret, now) });
    expect(first.statusCode).toBe(200);

    const replay = await secondStep(t.app, { mfaToken: await firstStep(t.app, user), code: totpCode(user.secret, now) });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().reason).toBe('INVALID_CODE');

    // The next step works once; then the previous step (still inside the drift window) is refused too.
    const next = await secondStep(t.app, { mfaToken: await firstStep(t.app, user), code: totpCode(user.secret, now + 1) });
    expect(next.statusCode).toBe(200);
    const earlier = await secondStep(t.app, { mfaToken: await firstStep(t.app, user), code: totpCode(user.secret, now) });
    expect(earlier.statusCode).toBe(401);
  });

  it('refuses a code outside the one-step window', async () => {
    const user = await userWithTotp();
    await awayFromStepEdge();
    const res = await secondStep(t.app, { mfaToken: await firstStep(t.app, user), code: totpCode(user.secret, currentStep() + 2) });
    expect(res.statusCode).toBe(401);
  });

  it('two concurrent verifications with one code make one session', async () => {
    const user = await userWithTotp();
    const tokens = [await firstStep(t.app, user), await firstStep(t.app, user)];
    await awayFromStepEdge();
    const code = totpCode(user.secret);
    const answers = await Promise.all(tokens.map((mfaToken) => secondStep(t.app, { mfaToken, code })));
    expect(answers.map((res) => res.statusCode).sort()).toEqual([200, 401]);
    expect(await sessionsOf(user.id, user.sessionId)).toBe(1);
  });

  it('the same token sent twice at once makes one session', async () => {
    const user = await userWithTotp();
    const mfaToken = await firstStep(t.app, user);
    await awayFromStepEdge();
    const code = totpCode(user.secret);
    const answers = await Promise.all([secondStep(t.app, { mfaToken, code }), secondStep(t.app, { mfaToken, code })]);
    expect(answers.map((res) => res.statusCode).sort()).toEqual([200, 401]);
    expect(await sessionsOf(user.id, user.sessionId)).toBe(1);
  });

  it('signs in with a recovery code, once; two concurrent uses of one code → one success', async () => {
    const user = await userWithTotp();
    const [code = '', other = ''] = user.recoveryCodes;
    expect(user.recoveryCodes).toHaveLength(10);
    expect(new Set(user.recoveryCodes).size).toBe(10);
    for (const recovery of user.recoveryCodes) expect(recovery.replace(/-/g, '').length).toBeGreaterThanOrEqual(10);

    const tokens = [await firstStep(t.app, user), await firstStep(t.app, user)];
    const answers = await Promise.all(tokens.map((mfaToken) => secondStep(t.app, { mfaToken, recoveryCode: code })));
    expect(answers.map((res) => res.statusCode).sort()).toEqual([200, 401]);
    const winner = answers.find((res) => res.statusCode === 200);
    const sessions = await rest(t.app, 'GET', '/users/me/sessions', { headers: bearer(winner?.json().accessToken) });
    expect(sessions.json().items.find((s: { current: boolean }) => s.current).methods).toEqual(['password', 'recovery_code']);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'mfa.recovery_code_used', targetId: user.id } })).toBe(1);

    // Typed in upper case with spaces, another code works; the used one never again.
    const typed = other.toUpperCase().replace(/-/g, ' ');
    expect((await secondStep(t.app, { mfaToken: await firstStep(t.app, user), recoveryCode: typed })).statusCode).toBe(200);
    expect((await secondStep(t.app, { mfaToken: await firstStep(t.app, user), recoveryCode: code })).statusCode).toBe(401);
    const status = await rest(t.app, 'GET', '/users/me/mfa', { headers: user.headers });
    expect(status.json().recoveryCodesLeft).toBe(8);
    // Only hashes are stored.
    const stored = await t.db.prisma.mfaRecoveryCode.findMany({ where: { userId: user.id }, select: { codeHash: true } });
    expect(stored.map((row) => row.codeHash)).not.toContain(code);
  });

  it('5 wrong codes void the token and count as failed sign-ins (the account locks)', async () => {
    const user = await userWithTotp();
    const mfaToken = await firstStep(t.app, user);
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await secondStep(t.app, { mfaToken, code: '000000' });
      expect([401, 429]).toContain(wrong.statusCode);
    }
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'auth.mfa_failed', targetId: user.id } })).toBe(5);
    await awayFromStepEdge();
    const right = await secondStep(t.app, { mfaToken, code: totpCode(user.secret) });
    expect(right.statusCode).toBe(401);
    expect(right.json().reason).toBe('MFA_TOKEN_INVALID');
    // LOGIN_LOCKOUT=5: the wrong codes locked the account, so even the right password waits.
    const login = await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.statusCode).toBe(429);
    expect(await sessionsOf(user.id, user.sessionId)).toBe(0);
  });

  it('an expired token is refused', async () => {
    const user = await userWithTotp();
    const mfaToken = await firstStep(t.app, user);
    await t.db.prisma.mfaChallenge.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await awayFromStepEdge();
    const res = await secondStep(t.app, { mfaToken, code: totpCode(user.secret) });
    expect(res.statusCode).toBe(401);
    expect(res.json().reason).toBe('MFA_TOKEN_INVALID');
  });

  it('names the field of bad input: neither or both of code and recoveryCode, a non-numeric code', async () => {
    const neither = await secondStep(t.app, { mfaToken: 'x' });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().issues[0].path).toEqual(['code']);
    const both = await secondStep(t.app, { mfaToken: 'x', code: '123456', recoveryCode: 'abc' });
    expect(both.statusCode).toBe(400);
    const letters = await secondStep(t.app, { mfaToken: 'x', code: 'abcdef' });
    expect(letters.statusCode).toBe(400);
    expect(letters.json().issues[0].path).toEqual(['code']);
    const overTrpc = await trpc(t.app, 'mutation', 'auth.mfa.verify', { input: { mfaToken: 'x', code: '12345' } });
    expect(trpcError(overTrpc).data.issues?.[0]?.path).toEqual(['code']);
  });
});

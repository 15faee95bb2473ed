import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc, trpcError } from '../support/client.ts';
import { type Mailbox, startMailbox } from '../support/mailbox.ts';
import { enableTotp, firstStep, secondStep } from '../support/mfa.ts';
import { awayFromStepEdge, currentStep, totpCode } from '../support/totp.ts';
import { createSignedInUser, type SignedIn, signIn } from '../support/users.ts';

let t: TestApp;
let mailbox: Mailbox;
let admin: SignedIn;
beforeAll(async () => {
  mailbox = await startMailbox();
  t = await createTestApp({ SMTP_URL: mailbox.url, OUTBOX_POLL_MS: '100', REAUTH_MAX_AGE: '600' });
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['user', 'admin'] });
});
afterAll(async () => {
  await t?.close();
  await mailbox?.stop();
});

/** Makes the session look signed in 20 minutes ago: past REAUTH_MAX_AGE. */
const ageSession = (sessionId: string) =>
  t.db.prisma.userSession.update({ where: { id: sessionId }, data: { authenticatedAt: new Date(Date.now() - 20 * 60_000) } });

/** The subjects of the first `count` mails to `address`, in no particular order (the outbox may deliver two at once). */
const mailSubjects = async (address: string, count: number) => (await mailbox.waitFor(address, { count })).map((mail) => mail.subject);

describe('me.mfa.totp.setup and confirm', () => {
  it('returns a base32 secret, its otpauth URL and a QR code SVG; keeps the secret sealed; counts only once confirmed', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const res = await rest(t.app, 'POST', '/users/me/mfa/totp/setup', { headers: user.headers });
    expect(res.statusCode).toBe(200);
    const { secret, otpauthUrl, qrCodeSvg } = res.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/.+\?.*secret=[A-Z2-7]{32}/);
    expect(otpauthUrl).toContain('algorithm=SHA1');
    expect(qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const row = await t.db.prisma.mfaTotpFactor.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.sealedSecret).not.toContain(secret);
    expect(row.sealedSecret.split('.')[1]).toBe(row.keyId);
    expect(row.confirmedAt).toBeNull();
    // Not active yet: sign-in is still one step, and me.mfa.get says off.
    expect((await rest(t.app, 'GET', '/users/me/mfa', { headers: user.headers })).json()).toEqual({
      totp: { enabled: false, confirmedAt: null },
      recoveryCodesLeft: 0,
      passkeys: 0,
      required: false,
    });
    const plain = await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });
    expect(plain.json()).toHaveProperty('accessToken');

    // A new set-up replaces the unconfirmed one: the first secret's codes no longer confirm.
    const second = (await rest(t.app, 'POST', '/users/me/mfa/totp/setup', { headers: user.headers })).json().secret;
    await awayFromStepEdge();
    const stale = await rest(t.app, 'POST', '/users/me/mfa/totp/confirm', { headers: user.headers, body: { code: totpCode(secret) } });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().issues[0].path).toEqual(['code']);
    const confirm = await rest(t.app, 'POST', '/users/me/mfa/totp/confirm', { headers: user.headers, body: { code: totpCode(second) } });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().recoveryCodes).toHaveLength(10);
    const status = (await rest(t.app, 'GET', '/users/me/mfa', { headers: user.headers })).json();
    expect(status).toMatchObject({ totp: { enabled: true, confirmedAt: expect.any(String) }, recoveryCodesLeft: 10 });
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).json().mfaEnabled).toBe(true);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'mfa.totp_enabled', targetId: user.id } })).toBe(1);
    expect(await mailSubjects(user.email, 1)).toEqual([expect.stringMatching(/two-factor authentication is on/i)]);

    // A confirmed factor is not replaced by another set-up.
    expect((await rest(t.app, 'POST', '/users/me/mfa/totp/setup', { headers: user.headers })).statusCode).toBe(409);
  });

  it('confirm without a set-up is a 409; a malformed code names `code`', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    expect((await rest(t.app, 'POST', '/users/me/mfa/totp/confirm', { headers: user.headers, body: { code: '123456' } })).statusCode).toBe(
      409,
    );
    const bad = await rest(t.app, 'POST', '/users/me/mfa/totp/confirm', { headers: user.headers, body: { code: '12' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toEqual(['code']);
  });
});

describe('"recent" (step-up) and auth.reauthenticate', () => {
  it('a session that proved nothing for REAUTH_MAX_AGE gets 403 REAUTH_REQUIRED; a password reauthentication lets it through', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    await ageSession(user.sessionId);
    const refused = await rest(t.app, 'POST', '/users/me/mfa/totp/setup', { headers: user.headers });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().reason).toBe('REAUTH_REQUIRED');
    const overTrpc = await trpc(t.app, 'mutation', 'me.mfa.totp.setup', { headers: user.headers });
    expect(trpcError(overTrpc).data.reason).toBe('REAUTH_REQUIRED');
    // Not recent: the other procedures still work.
    expect((await rest(t.app, 'GET', '/users/me/mfa', { headers: user.headers })).statusCode).toBe(200);

    const wrong = await rest(t.app, 'POST', '/auth/reauthenticate', {
      headers: user.headers,
      body: { password: 'not my password at all' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues[0].path).toEqual(['password']);
    const ok = await rest(t.app, 'POST', '/auth/reauthenticate', { headers: user.headers, body: { password: user.password } });
    expect(ok.statusCode).toBe(204);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'auth.reauthenticated', targetId: user.id } })).toBe(1);
    expect((await rest(t.app, 'POST', '/users/me/mfa/totp/setup', { headers: user.headers })).statusCode).toBe(200);
  });

  it('with MFA on, only a code or recovery code steps up (a password alone → 400 naming `code`)', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const { secret, recoveryCodes } = await enableTotp(t.app, user.headers);
    await ageSession(user.sessionId);
    const password = await rest(t.app, 'POST', '/auth/reauthenticate', { headers: user.headers, body: { password: user.password } });
    expect(password.statusCode).toBe(400);
    expect(password.json().issues[0].path).toEqual(['code']);
    const wrongCode = await rest(t.app, 'POST', '/auth/reauthenticate', { headers: user.headers, body: { code: '000000' } });
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.json().issues[0].path).toEqual(['code']);
    await awayFromStepEdge();
    const code = await rest(t.app, 'POST', '/auth/reauthenticate', { headers: user.headers, body: { code: totpCode(secret) } });
    expect(code.statusCode).toBe(204);
    const sessions = (await rest(t.app, 'GET', '/users/me/sessions', { headers: user.headers })).json().items;
    expect(sessions[0].methods).toEqual(['password', 'totp']);
    expect(Date.now() - Date.parse(sessions[0].authenticatedAt)).toBeLessThan(60_000);

    await ageSession(user.sessionId);
    const recovery = await rest(t.app, 'POST', '/auth/reauthenticate', { headers: user.headers, body: { recoveryCode: recoveryCodes[0] } });
    expect(recovery.statusCode).toBe(204);
    const reused = await rest(t.app, 'POST', '/auth/reauthenticate', { headers: user.headers, body: { recoveryCode: recoveryCodes[0] } });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().issues[0].path).toEqual(['recoveryCode']);
  });

  it('auth.changePassword and me.email.change are recent too', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    await ageSession(user.sessionId);
    const change = await rest(t.app, 'POST', '/auth/change-password', {
      headers: user.headers,
      body: { currentPassword: user.password, newPassword: 'another long passphrase 9' },
    });
    expect(change.json().reason).toBe('REAUTH_REQUIRED');
    const email = await rest(t.app, 'POST', '/users/me/email', {
      headers: user.headers,
      body: { newEmail: 'moved@example.com', currentPassword: user.password },
    });
    expect(email.json().reason).toBe('REAUTH_REQUIRED');
  });
});

describe('me.mfa.totp.disable and me.mfa.recoveryCodes.regenerate', () => {
  it('disable needs a valid code, ends the other sessions, mails a notice; sign-in is one step again', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const { secret } = await enableTotp(t.app, user.headers);
    const other = await signIn(t.db.prisma, t.config, user);
    const wrong = await rest(t.app, 'POST', '/users/me/mfa/totp/disable', { headers: user.headers, body: { code: '000000' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues[0].path).toEqual(['code']);
    await awayFromStepEdge();
    const res = await rest(t.app, 'POST', '/users/me/mfa/totp/disable', { headers: user.headers, body: { code: totpCode(secret) } });
    expect(res.statusCode).toBe(204);
    expect((await rest(t.app, 'GET', '/users/me', { headers: other.headers })).statusCode).toBe(401);
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).json().mfaEnabled).toBe(false);
    expect(await t.db.prisma.mfaTotpFactor.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.prisma.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'mfa.totp_disabled', targetId: user.id } })).toBe(1);
    expect(await mailSubjects(user.email, 2)).toContainEqual(expect.stringMatching(/turned off/i));
    const login = await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.json()).toHaveProperty('accessToken');
  });

  it('disable with a recovery code works; disable is recent', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const { recoveryCodes } = await enableTotp(t.app, user.headers);
    await ageSession(user.sessionId);
    const stale = await rest(t.app, 'POST', '/users/me/mfa/totp/disable', { headers: user.headers, body: { code: recoveryCodes[3] } });
    expect(stale.json().reason).toBe('REAUTH_REQUIRED');
    await rest(t.app, 'POST', '/auth/reauthenticate', { headers: user.headers, body: { recoveryCode: recoveryCodes[2] } });
    const res = await rest(t.app, 'POST', '/users/me/mfa/totp/disable', { headers: user.headers, body: { code: recoveryCodes[3] } });
    expect(res.statusCode).toBe(204);
  });

  it('regenerate replaces the codes: the old ones stop working; a notice is mailed', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const { recoveryCodes: old } = await enableTotp(t.app, user.headers);
    const res = await rest(t.app, 'POST', '/users/me/mfa/recovery-codes', { headers: user.headers });
    expect(res.statusCode).toBe(200);
    const fresh: string[] = res.json().recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => old.includes(code))).toBe(false);
    expect((await secondStep(t.app, { mfaToken: await firstStep(t.app, user), recoveryCode: old[0] })).statusCode).toBe(401);
    expect((await secondStep(t.app, { mfaToken: await firstStep(t.app, user), recoveryCode: fresh[0] })).statusCode).toBe(200);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'mfa.recovery_codes_regenerated', targetId: user.id } })).toBe(1);
    expect(await mailSubjects(user.email, 2)).toContainEqual(expect.stringMatching(/new recovery codes/i));
  });

  it('regenerate without MFA on is a 409', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    expect((await rest(t.app, 'POST', '/users/me/mfa/recovery-codes', { headers: user.headers })).statusCode).toBe(409);
  });
});

describe('roles with requireMfa', () => {
  it('holders without a factor may only enrol, from the next request after the role changes; enrolling lifts it', async () => {
    const name = `mfa-role-${currentStep()}-${Math.floor(Math.random() * 1e6)}`;
    const created = await rest(t.app, 'POST', '/rbac/roles', { headers: admin.headers, body: { name, permissions: ['user:read'] } });
    expect(created.statusCode).toBe(201);
    expect(created.json().requireMfa).toBe(false);
    const user = await createSignedInUser(t.db.prisma, t.config, { roles: ['user', name] });
    const update = () => rest(t.app, 'PUT', '/users/me', { headers: user.headers, body: { fullName: 'Enrolling User' } });
    expect((await update()).statusCode).toBe(200);

    const on = await rest(t.app, 'PUT', `/rbac/roles/${name}`, { headers: admin.headers, body: { requireMfa: true } });
    expect(on.statusCode).toBe(200);
    expect(on.json().requireMfa).toBe(true);
    const listed = (await rest(t.app, 'GET', '/rbac/roles', { headers: admin.headers })).json().items;
    expect(listed.find((role: { name: string }) => role.name === name).requireMfa).toBe(true);

    const refused = await update();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().reason).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).statusCode).toBe(200);
    expect((await rest(t.app, 'GET', '/users/me/mfa', { headers: user.headers })).json().required).toBe(true);

    const { secret } = await enableTotp(t.app, user.headers);
    expect((await update()).statusCode).toBe(200);
    // The only factor cannot be removed while the role requires one.
    await awayFromStepEdge();
    const disable = await rest(t.app, 'POST', '/users/me/mfa/totp/disable', { headers: user.headers, body: { code: totpCode(secret) } });
    expect(disable.statusCode).toBe(409);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'role.updated', targetId: name } })).toBe(1);
  });

  it('requireMfa can be set at creation', async () => {
    const name = `mfa-created-${Math.floor(Math.random() * 1e9)}`;
    const created = await rest(t.app, 'POST', '/rbac/roles', { headers: admin.headers, body: { name, permissions: [], requireMfa: true } });
    expect(created.json().requireMfa).toBe(true);
  });
});

describe('users.mfa.reset', () => {
  it('removes every factor and recovery code, ends every session, audits and mails; needs users:update and recent', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    await enableTotp(t.app, user.headers);
    const denied = await rest(t.app, 'POST', `/users/${user.id}/mfa/reset`, { headers: user.headers });
    expect(denied.statusCode).toBe(403);

    const staleAdmin = await signIn(t.db.prisma, t.config, admin);
    await ageSession(staleAdmin.sessionId);
    const stale = await rest(t.app, 'POST', `/users/${user.id}/mfa/reset`, { headers: staleAdmin.headers });
    expect(stale.json().reason).toBe('REAUTH_REQUIRED');

    const res = await rest(t.app, 'POST', `/users/${user.id}/mfa/reset`, { headers: admin.headers });
    expect(res.statusCode).toBe(204);
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).statusCode).toBe(401);
    expect(await t.db.prisma.mfaTotpFactor.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.prisma.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
    const event = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'mfa.reset', targetId: user.id } });
    expect(event.actorId).toBe(admin.id);
    expect(await mailSubjects(user.email, 2)).toContainEqual(expect.stringMatching(/administrator reset/i));
    const login = await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.json()).toHaveProperty('accessToken');

    expect(
      (await rest(t.app, 'POST', '/users/00000000-0000-4000-8000-000000000000/mfa/reset', { headers: admin.headers })).statusCode,
    ).toBe(404);
  });
});

describe('a change and its notice commit together', () => {
  it('a refused confirmation leaves no factor confirmed, no event and no mail', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    await rest(t.app, 'POST', '/users/me/mfa/totp/setup', { headers: user.headers });
    const res = await rest(t.app, 'POST', '/users/me/mfa/totp/confirm', { headers: user.headers, body: { code: '000000' } });
    expect(res.statusCode).toBe(400);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'mfa.totp_enabled', targetId: user.id } })).toBe(0);
    expect(await t.db.prisma.outboxMessage.count({ where: { payload: { path: ['to'], equals: user.email } } })).toBe(0);
    expect(await t.db.prisma.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { bearer, rest, trpc, trpcError } from '../support/client.ts';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox.ts';
import { createSignedInUser, createUser, TEST_PASSWORD, type TestUser } from '../support/users.ts';

const RESET_PATH = '/admin/reset-password';
const NEW_PASSWORD = 'a brand new passphrase 42';

let mailbox: Mailbox;
let t: TestApp;

beforeAll(async () => {
  mailbox = await startMailbox();
  t = await createTestApp({ SMTP_URL: mailbox.url, OUTBOX_POLL_MS: '100', PUBLIC_URL: 'https://ums.example.com' });
});
afterAll(async () => {
  await t?.close();
  await mailbox?.stop();
});

let user: TestUser;
beforeEach(async () => {
  user = await createUser(t.db.prisma, { fullName: 'Ada Lovelace' });
});

const requestReset = (email: string) => rest(t.app, 'POST', '/auth/password-reset/request', { body: { email } });
const reset = (token: string, newPassword = NEW_PASSWORD) => rest(t.app, 'POST', '/auth/password-reset', { body: { token, newPassword } });
const login = (email: string, password: string) => rest(t.app, 'POST', '/auth/login', { body: { email, password } });

async function resetLink(address: string, count = 1): Promise<string> {
  const mails = await mailbox.waitFor(address, { count });
  const mail = mails[count - 1];
  if (!mail) throw new Error('no mail');
  return linkToken(mail, RESET_PATH);
}

describe('auth.requestPasswordReset', () => {
  it('answers 202 and mails a 30-minute link under PUBLIC_URL, with a text and an HTML body', async () => {
    const res = await requestReset(user.email.toUpperCase());
    expect(res.statusCode).toBe(202);
    const [mail] = await mailbox.waitFor(user.email);
    expect(mail?.subject).toMatch(/reset/i);
    expect(mail?.text).toContain('Hello Ada Lovelace,');
    expect(mail?.text).toContain('30 minutes');
    expect(mail?.text).toMatch(/https:\/\/ums\.example\.com\/admin\/reset-password\?token=[\w-]{43}/);
    expect(mail?.html).toContain('href="https://ums.example.com/admin/reset-password?token=');
    expect(mail?.messageId).toMatch(/^<[0-9a-f-]{36}@ums\.example\.com>$/);
    expect(mail?.headers.get('list-unsubscribe')).toBeUndefined();
    const audit = await t.db.prisma.auditEvent.findMany({ where: { targetId: user.id, action: 'user.password_reset_requested' } });
    expect(audit).toHaveLength(1);
  });

  it('answers an unknown address with the same status and body, and sends nothing', async () => {
    const known = await requestReset(user.email);
    const unknown = await requestReset(`nobody-${randomUUID()}@example.com`);
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.json()).toEqual(known.json());
    await mailbox.waitFor(user.email);
    expect(mailbox.messages.filter((mail) => mail.to.startsWith('nobody-'))).toHaveLength(0);
  });

  it('sends nothing to a deactivated account', async () => {
    const inactive = await createUser(t.db.prisma, { isActive: false });
    expect((await requestReset(inactive.email)).statusCode).toBe(202);
    // A later request to an active account is delivered: the first one had its turn and sent nothing.
    await requestReset(user.email);
    await mailbox.waitFor(user.email);
    expect(mailbox.to(inactive.email)).toHaveLength(0);
  });

  it('names the field of a malformed address (400)', async () => {
    const res = await requestReset('not-an-address');
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([{ path: ['email'], message: expect.any(String) }]);
  });

  it('sends at most 5 links per address an hour, answering 202 to every request', async () => {
    for (let i = 0; i < 7; i++) expect((await requestReset(user.email)).statusCode).toBe(202);
    await mailbox.waitFor(user.email, { count: 5 });
    // The two requests past the budget were handled too (a later address is served after them) and sent nothing.
    const other = await createUser(t.db.prisma);
    await requestReset(other.email);
    await mailbox.waitFor(other.email);
    expect(mailbox.to(user.email)).toHaveLength(5);
  });
});

describe('auth.resetPassword', () => {
  it('sets the password, ends every session, clears the lockout and mails a notice', async () => {
    const signedIn = await createSignedInUser(t.db.prisma, t.config);
    await t.db.prisma.user.update({ where: { id: signedIn.id }, data: { failedLogins: 4, lockouts: 2 } });
    await requestReset(signedIn.email);
    const token = await resetLink(signedIn.email);

    const res = await reset(token);
    expect(res.statusCode).toBe(204);
    expect((await rest(t.app, 'GET', '/users/me', { headers: signedIn.headers })).statusCode).toBe(401);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { id: signedIn.id } });
    expect({ failedLogins: row.failedLogins, lockouts: row.lockouts, lockedUntil: row.lockedUntil }).toEqual({
      failedLogins: 0,
      lockouts: 0,
      lockedUntil: null,
    });
    expect(await t.db.prisma.userSession.count({ where: { userId: signedIn.id, revokedAt: null } })).toBe(0);
    expect((await login(signedIn.email, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(signedIn.email, NEW_PASSWORD)).statusCode).toBe(200);

    const [, notice] = await mailbox.waitFor(signedIn.email, { count: 2 });
    expect(notice?.subject).toMatch(/password was reset/i);
    expect(notice?.text).not.toMatch(/token=/);
    const events = await t.db.prisma.auditEvent.findMany({ where: { targetId: signedIn.id, action: 'user.password_reset' } });
    expect(events).toHaveLength(1);
    expect(events[0]?.actorId).toBe(signedIn.id);
  });

  it('works once: the same link again is 400 INVALID_TOKEN naming token', async () => {
    await requestReset(user.email);
    const token = await resetLink(user.email);
    expect((await reset(token)).statusCode).toBe(204);
    const again = await reset(token, 'yet another passphrase 7');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'BAD_REQUEST', reason: 'INVALID_TOKEN', issues: [{ path: ['token'] }] });
    expect((await login(user.email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('answers the same over tRPC, with the reason in error.data', async () => {
    const res = await trpc(t.app, 'mutation', 'auth.resetPassword', { input: { token: 'x'.repeat(43), newPassword: NEW_PASSWORD } });
    expect(res.statusCode).toBe(400);
    expect(trpcError(res).data).toMatchObject({ code: 'BAD_REQUEST', reason: 'INVALID_TOKEN', issues: [{ path: ['token'] }] });
  });

  it('refuses an expired link', async () => {
    await requestReset(user.email);
    const token = await resetLink(user.email);
    await t.db.prisma.accountToken.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await reset(token)).json()).toMatchObject({ reason: 'INVALID_TOKEN' });
  });

  it('refuses a link replaced by a newer one, and takes the newer', async () => {
    await requestReset(user.email);
    const older = await resetLink(user.email, 1);
    await requestReset(user.email);
    const newer = await resetLink(user.email, 2);
    expect(newer).not.toBe(older);
    expect((await reset(older)).json()).toMatchObject({ reason: 'INVALID_TOKEN' });
    expect((await reset(newer)).statusCode).toBe(204);
  });

  it('refuses a link issued before a password change', async () => {
    const signedIn = await createSignedInUser(t.db.prisma, t.config);
    await requestReset(signedIn.email);
    const token = await resetLink(signedIn.email);
    const change = await rest(t.app, 'POST', '/auth/change-password', {
      headers: bearer(signedIn.accessToken),
      body: { currentPassword: TEST_PASSWORD, newPassword: 'changed by the owner 123' },
    });
    expect(change.statusCode).toBe(204);
    expect((await reset(token)).json()).toMatchObject({ reason: 'INVALID_TOKEN' });
    // The change itself mailed a notice.
    const [, notice] = await mailbox.waitFor(signedIn.email, { count: 2 });
    expect(notice?.subject).toMatch(/password was changed/i);
  });

  it('keeps the link usable when the new password breaks the rules (400 naming newPassword)', async () => {
    await requestReset(user.email);
    const token = await resetLink(user.email);
    const short = await reset(token, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().issues).toEqual([{ path: ['newPassword'], message: expect.any(String) }]);
    const theEmail = await reset(token, user.email);
    expect(theEmail.statusCode).toBe(400);
    expect(theEmail.json().issues).toEqual([{ path: ['newPassword'], message: 'must not be the email address' }]);
    expect((await reset(token)).statusCode).toBe(204);
  });

  it('lets one of two concurrent resets with one link through', async () => {
    await requestReset(user.email);
    const token = await resetLink(user.email);
    const answers = await Promise.all([reset(token, 'first concurrent password'), reset(token, 'second concurrent password')]);
    expect(answers.map((res) => res.statusCode).sort()).toEqual([204, 400]);
    const events = await t.db.prisma.auditEvent.count({ where: { targetId: user.id, action: 'user.password_reset' } });
    expect(events).toBe(1);
  });
});

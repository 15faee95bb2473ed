import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox.ts';
import { createSignedInUser, createUser, TEST_PASSWORD } from '../support/users.ts';

const VERIFY_PATH = '/admin/verify-email';
const PASSWORD = 'a registration passphrase';

let mailbox: Mailbox;
let t: TestApp;

beforeAll(async () => {
  mailbox = await startMailbox();
  t = await createTestApp({ SMTP_URL: mailbox.url, OUTBOX_POLL_MS: '100' });
});
afterAll(async () => {
  await t?.close();
  await mailbox?.stop();
});

const register = (email: string) =>
  rest(t.app, 'POST', '/auth/register', { body: { email, password: PASSWORD, fullName: 'Grace Hopper' } });
const verify = (token: string) => rest(t.app, 'POST', '/auth/verify-email', { body: { token } });
const requestLink = (email: string) => rest(t.app, 'POST', '/auth/verify-email/request', { body: { email } });
const newAddress = () => `verify-${randomUUID()}@example.com`;

async function verificationToken(address: string, count = 1) {
  const mails = await mailbox.waitFor(address, { count });
  const mail = mails[count - 1];
  if (!mail) throw new Error('no mail');
  return linkToken(mail, VERIFY_PATH);
}

describe('email verification', () => {
  it('registration mails a 24-hour link; following it sets emailVerifiedAt, once', async () => {
    const email = newAddress();
    const registered = await register(email);
    expect(registered.statusCode).toBe(201);
    expect(registered.json().user.emailVerifiedAt).toBeNull();
    const [mail] = await mailbox.waitFor(email);
    expect(mail?.text).toContain('24 hours');
    expect(mail?.text).toContain('Hello Grace Hopper,');

    const res = await verify(linkToken(mail!, VERIFY_PATH));
    expect(res.statusCode).toBe(200);
    const user = res.json();
    expect(user).toMatchObject({ email, emailVerifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(user.version).toBe(registered.json().user.version + 1);
    const row = await t.db.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(row.emailVerifiedAt?.toISOString()).toBe(user.emailVerifiedAt);
    const events = await t.db.prisma.auditEvent.findMany({ where: { targetId: row.id, action: 'user.email_verified' } });
    expect(events).toHaveLength(1);
    expect(events[0]?.actorId).toBe(row.id);

    const again = await verify(linkToken(mail!, VERIFY_PATH));
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ reason: 'INVALID_TOKEN', issues: [{ path: ['token'] }] });
  });

  it('a new link voids the older one; an expired link is refused', async () => {
    const user = await createUser(t.db.prisma, { email: newAddress() });
    expect((await requestLink(user.email)).statusCode).toBe(202);
    const older = await verificationToken(user.email, 1);
    await requestLink(user.email);
    const newer = await verificationToken(user.email, 2);
    expect((await verify(older)).json()).toMatchObject({ reason: 'INVALID_TOKEN' });
    await t.db.prisma.accountToken.updateMany({
      where: { userId: user.id, usedAt: null, voidedAt: null },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect((await verify(newer)).json()).toMatchObject({ reason: 'INVALID_TOKEN' });
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).toBeNull();
  });

  it('a password change voids a pending link', async () => {
    const signedIn = await createSignedInUser(t.db.prisma, t.config, { email: newAddress() });
    await requestLink(signedIn.email);
    const token = await verificationToken(signedIn.email);
    const change = await rest(t.app, 'POST', '/auth/change-password', {
      headers: signedIn.headers,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'the owner changed it 99' },
    });
    expect(change.statusCode).toBe(204);
    expect((await verify(token)).json()).toMatchObject({ reason: 'INVALID_TOKEN' });
  });

  it('answers 202 with one body for unknown, verified and unverified addresses, and mails only the unverified', async () => {
    const unverified = await createUser(t.db.prisma, { email: newAddress() });
    const verified = await createUser(t.db.prisma, { email: newAddress() });
    await t.db.prisma.user.update({ where: { id: verified.id }, data: { emailVerifiedAt: new Date() } });
    const answers = await Promise.all([requestLink(newAddress()), requestLink(verified.email), requestLink(unverified.email)]);
    expect(answers.map((res) => res.statusCode)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((res) => res.body)).size).toBe(1);
    await mailbox.waitFor(unverified.email);
    // Requests are handled in order: a later one arriving means the verified address's turn came and went.
    const later = await createUser(t.db.prisma, { email: newAddress() });
    await requestLink(later.email);
    await mailbox.waitFor(later.email);
    expect(mailbox.to(verified.email)).toHaveLength(0);
  });

  it('does not count the registration mail against the address budget of 5 an hour', async () => {
    const email = newAddress();
    await register(email);
    await mailbox.waitFor(email);
    for (let i = 0; i < 6; i++) await requestLink(email);
    await mailbox.waitFor(email, { count: 6 });
    const later = await createUser(t.db.prisma, { email: newAddress() });
    await requestLink(later.email);
    await mailbox.waitFor(later.email);
    expect(mailbox.to(email)).toHaveLength(6);
  });

  it('a link for an address the account no longer has is refused', async () => {
    const user = await createUser(t.db.prisma, { email: newAddress() });
    await requestLink(user.email);
    const token = await verificationToken(user.email);
    await t.db.prisma.user.update({ where: { id: user.id }, data: { email: newAddress() } });
    expect((await verify(token)).json()).toMatchObject({ reason: 'INVALID_TOKEN' });
  });

  it('names the token field when it is missing or too long', async () => {
    expect((await rest(t.app, 'POST', '/auth/verify-email', { body: {} })).json().issues).toEqual([
      { path: ['token'], message: expect.any(String) },
    ]);
    expect((await verify('x'.repeat(300))).json().issues).toEqual([{ path: ['token'], message: 'must be at most 256 characters' }]);
  });
});

describe('REQUIRE_EMAIL_VERIFICATION=true', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp({ SMTP_URL: mailbox.url, OUTBOX_POLL_MS: '100', REQUIRE_EMAIL_VERIFICATION: 'true' });
  });
  afterAll(async () => strict?.close());

  it('refuses sign-in of an unverified account with 403 EMAIL_NOT_VERIFIED after the password check, creating no session', async () => {
    const user = await createUser(strict.db.prisma, { email: newAddress() });
    const login = (password: string) => rest(strict.app, 'POST', '/auth/login', { body: { email: user.email, password } });
    expect((await login('not the password at all')).statusCode).toBe(401);
    const refused = await login(TEST_PASSWORD);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'FORBIDDEN', reason: 'EMAIL_NOT_VERIFIED' });
    expect(refused.json().accessToken).toBeUndefined();
    expect(await strict.db.prisma.userSession.count({ where: { userId: user.id } })).toBe(0);
    expect(await strict.db.prisma.auditEvent.count({ where: { targetId: user.id, action: 'auth.login' } })).toBe(0);

    await rest(strict.app, 'POST', '/auth/verify-email/request', { body: { email: user.email } });
    const [mail] = await mailbox.waitFor(user.email);
    expect((await rest(strict.app, 'POST', '/auth/verify-email', { body: { token: linkToken(mail!, VERIFY_PATH) } })).statusCode).toBe(200);
    expect((await login(TEST_PASSWORD)).statusCode).toBe(200);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEventOrThrow } from '../support/audit-events.ts';
import { rest, trpc, trpcError } from '../support/client.ts';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox.ts';
import { createSignedInUser, createUser, type SignedIn, TEST_PASSWORD } from '../support/users.ts';

const CONFIRM_PATH = '/admin/confirm-email-change';

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

const address = () => `change-${randomUUID()}@example.com`;
const requestChange = (caller: SignedIn, body: Record<string, unknown>) =>
  rest(t.app, 'POST', '/users/me/email', { headers: caller.headers, body });
const confirm = (token: string) => rest(t.app, 'POST', '/auth/email-change/confirm', { body: { token } });

async function signedInVerified() {
  const caller = await createSignedInUser(t.db.prisma, t.config, { email: address(), fullName: 'Alan Turing' });
  await t.db.prisma.user.update({ where: { id: caller.id }, data: { emailVerifiedAt: new Date('2026-01-01T00:00:00Z') } });
  return caller;
}

describe('me.email.change and auth.confirmEmailChange', () => {
  it('mails a confirmation to the new address and a notice to the old; nothing changes until the link is followed', async () => {
    const caller = await signedInVerified();
    const newEmail = address();
    const res = await requestChange(caller, { newEmail: newEmail.toUpperCase(), currentPassword: TEST_PASSWORD });
    expect(res.statusCode).toBe(202);
    const [confirmation] = await mailbox.waitFor(newEmail);
    const [requested] = await mailbox.waitFor(caller.email);
    expect(confirmation?.text).toContain('24 hours');
    expect(requested?.text).toContain(newEmail);
    expect(requested?.text).not.toMatch(/token=/);
    const before = await t.db.prisma.user.findUniqueOrThrow({ where: { id: caller.id } });
    expect(before.email).toBe(caller.email);
    expect(await t.db.prisma.auditEvent.count({ where: { targetId: caller.id, action: 'user.email_change_requested' } })).toBe(1);

    const confirmed = await confirm(linkToken(confirmation!, CONFIRM_PATH));
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({
      id: caller.id,
      email: newEmail,
      emailVerifiedAt: expect.any(String),
      version: before.version + 1,
    });
    expect(confirmed.json().emailVerifiedAt).not.toBe('2026-01-01T00:00:00.000Z');
    // The second notice to the old address: the change is done.
    const [, done] = await mailbox.waitFor(caller.email, { count: 2 });
    expect(done?.subject).toMatch(/email address was changed/i);
    const event = await findAuditEventOrThrow(t.db, { where: { targetId: caller.id, action: 'user.email_changed' } });
    expect(event.changes).toMatchObject({ email: { from: caller.email, to: newEmail } });
    // The session stays; the old address no longer signs in.
    expect((await rest(t.app, 'GET', '/users/me', { headers: caller.headers })).json().email).toBe(newEmail);
    expect((await rest(t.app, 'POST', '/auth/login', { body: { email: caller.email, password: TEST_PASSWORD } })).statusCode).toBe(401);
    expect((await confirm(linkToken(confirmation!, CONFIRM_PATH))).json()).toMatchObject({ reason: 'INVALID_TOKEN' });
  });

  it('names currentPassword when it is wrong and newEmail when it is the current one (400), and refuses a taken address (409)', async () => {
    const caller = await signedInVerified();
    const wrong = await requestChange(caller, { newEmail: address(), currentPassword: 'not my password at all' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues).toEqual([{ path: ['currentPassword'], message: 'is not your current password' }]);
    const same = await requestChange(caller, { newEmail: caller.email, currentPassword: TEST_PASSWORD });
    expect(same.json().issues).toEqual([{ path: ['newEmail'], message: 'is already your email address' }]);
    const taken = await createUser(t.db.prisma, { email: address() });
    const conflict = await requestChange(caller, { newEmail: taken.email, currentPassword: TEST_PASSWORD });
    expect(conflict.statusCode).toBe(409);
    const malformed = await requestChange(caller, { newEmail: 'nope', currentPassword: TEST_PASSWORD, extra: 1 });
    expect(malformed.statusCode).toBe(400);
    expect(
      malformed
        .json()
        .issues.map((issue: { path: string[] }) => issue.path.join('.'))
        .sort(),
    ).toEqual(['extra', 'newEmail']);
    expect(await t.db.prisma.accountToken.count({ where: { userId: caller.id } })).toBe(0);
  });

  it('answers 409 when the new address was taken meanwhile, and the link stays usable', async () => {
    const caller = await signedInVerified();
    const newEmail = address();
    await requestChange(caller, { newEmail, currentPassword: TEST_PASSWORD });
    const [confirmation] = await mailbox.waitFor(newEmail);
    const squatter = await createUser(t.db.prisma, { email: newEmail });
    const res = await confirm(linkToken(confirmation!, CONFIRM_PATH));
    expect(res.statusCode).toBe(409);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: caller.id } })).email).toBe(caller.email);
    await t.db.prisma.user.delete({ where: { id: squatter.id } });
    expect((await confirm(linkToken(confirmation!, CONFIRM_PATH))).statusCode).toBe(200);
  });

  it('voids a password reset link that was mailed to the old address', async () => {
    const caller = await signedInVerified();
    await rest(t.app, 'POST', '/auth/password-reset/request', { body: { email: caller.email } });
    const [resetMail] = await mailbox.waitFor(caller.email);
    const newEmail = address();
    await requestChange(caller, { newEmail, currentPassword: TEST_PASSWORD });
    const [confirmation] = await mailbox.waitFor(newEmail);
    expect((await confirm(linkToken(confirmation!, CONFIRM_PATH))).statusCode).toBe(200);
    const reset = await rest(t.app, 'POST', '/auth/password-reset', {
      body: { token: linkToken(resetMail!, '/admin/reset-password'), newPassword: 'taken over by an attacker' },
    });
    expect(reset.json()).toMatchObject({ reason: 'INVALID_TOKEN' });
  });

  it('requires user:update, over tRPC as over REST', async () => {
    const res = await trpc(t.app, 'mutation', 'me.email.change', { input: { newEmail: address(), currentPassword: TEST_PASSWORD } });
    expect(res.statusCode).toBe(401);
    expect(trpcError(res).data.code).toBe('UNAUTHORIZED');
  });
});

describe('users.update changing the email (an administrator)', () => {
  it('marks the new address unverified, mails it a verification link and the old one a notice', async () => {
    const admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
    const target = await signedInVerified();
    const newEmail = address();
    const res = await rest(t.app, 'PUT', `/users/${target.id}`, { headers: admin.headers, body: { email: newEmail } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ email: newEmail, emailVerifiedAt: null });
    const [verification] = await mailbox.waitFor(newEmail);
    const [notice] = await mailbox.waitFor(target.email);
    expect(notice?.subject).toMatch(/email address was changed/i);
    const event = await findAuditEventOrThrow(t.db, { where: { targetId: target.id, action: 'user.updated' } });
    expect(event.changes).toMatchObject({
      email: { from: target.email, to: newEmail },
      emailVerifiedAt: { from: '2026-01-01T00:00:00.000Z', to: null },
    });
    const verified = await rest(t.app, 'POST', '/auth/verify-email', { body: { token: linkToken(verification!, '/admin/verify-email') } });
    expect(verified.json()).toMatchObject({ email: newEmail, emailVerifiedAt: expect.any(String) });
  });
});

import { createHash, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { type Mailbox, type ReceivedMail, startMailbox } from '../support/mailbox.ts';
import { TEST_PASSWORD } from '../support/users.ts';

// Every flow that mails a link, at LOG_LEVEL=trace: the tokens the mails carry appear nowhere else — not in a
// response, a log line, an audit event, a metric, or the database (which keeps only their SHA-256).

let mailbox: Mailbox;
let t: TestApp;
const responses: LightMyRequestResponse[] = [];
const email = `leak-${randomUUID()}@example.com`;
const newEmail = `leak-new-${randomUUID()}@example.com`;
const newPassword = 'a reset passphrase for leaks';

const call = async (send: Promise<LightMyRequestResponse>) => {
  const res = await send;
  responses.push(res);
  return res;
};
const tokensOf = (mails: ReceivedMail[]) =>
  mails.flatMap((mail) => [...mail.text.matchAll(/token=([\w-]+)/g)].map((match) => match[1] ?? '')).filter(Boolean);

beforeAll(async () => {
  mailbox = await startMailbox();
  t = await createTestApp({ SMTP_URL: mailbox.url, OUTBOX_POLL_MS: '50', LOG_LEVEL: 'trace' });
  const registered = await call(rest(t.app, 'POST', '/auth/register', { body: { email, password: TEST_PASSWORD } }));
  const headers = { authorization: `Bearer ${registered.json().accessToken}` };
  const [verification] = await mailbox.waitFor(email);
  await call(rest(t.app, 'POST', '/auth/verify-email', { body: { token: tokensOf([verification!])[0] } }));
  await call(rest(t.app, 'POST', '/users/me/email', { headers, body: { newEmail, currentPassword: TEST_PASSWORD } }));
  const [confirmation] = await mailbox.waitFor(newEmail);
  await call(rest(t.app, 'POST', '/auth/email-change/confirm', { body: { token: tokensOf([confirmation!])[0] } }));
  await call(rest(t.app, 'POST', '/auth/password-reset/request', { body: { email: newEmail } }));
  const [, reset] = await mailbox.waitFor(newEmail, { count: 2 });
  const resetToken = tokensOf([reset!])[0] ?? '';
  await call(rest(t.app, 'POST', '/auth/password-reset', { body: { token: resetToken, newPassword: 'short' } }));
  await call(rest(t.app, 'POST', '/auth/password-reset', { body: { token: resetToken, newPassword } }));
  await call(rest(t.app, 'POST', '/auth/password-reset', { body: { token: resetToken, newPassword } }));
  await call(rest(t.app, 'POST', '/auth/verify-email', { body: { token: resetToken } }));
  await call(t.app.inject({ method: 'GET', url: '/metrics' }));
  // The notices that follow (email changed, password reset) have arrived: the outbox is idle.
  await mailbox.waitFor(email, { count: 3 });
  await mailbox.waitFor(newEmail, { count: 3 });
});
afterAll(async () => {
  await t?.close();
  await mailbox?.stop();
});

describe('mailed tokens', () => {
  it('were mailed: one per link, 43 URL-safe characters', () => {
    const tokens = tokensOf(mailbox.messages);
    expect(tokens).toHaveLength(3);
    for (const token of tokens) expect(token).toMatch(/^[\w-]{43}$/);
  });

  it('appear in no response, log line, audit event, metric or outbox row', async () => {
    const tokens = tokensOf(mailbox.messages);
    const audit = JSON.stringify(await t.db.prisma.auditEvent.findMany());
    const outbox = JSON.stringify(await t.db.prisma.outboxMessage.findMany());
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    for (const token of tokens) {
      for (const res of responses) expect(res.body).not.toContain(token);
      expect(logs).not.toContain(token);
      expect(audit).not.toContain(token);
      expect(metrics).not.toContain(token);
      expect(outbox).not.toContain(token);
    }
    expect(logs).not.toContain(newPassword);
  });

  it('are stored only as their SHA-256', async () => {
    const stored = await t.db.prisma.accountToken.findMany({ select: { tokenHash: true } });
    const hashes = tokensOf(mailbox.messages).map((token) => createHash('sha256').update(token).digest('hex'));
    expect(stored.map((row) => row.tokenHash).sort()).toEqual(hashes.sort());
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../packages/server/src/crypto/secret-box.ts';
import { enqueueMail } from '../../packages/server/src/modules/mail/enqueue-mail.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { freePort } from '../support/free-port.ts';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox.ts';
import { until } from '../support/until.ts';
import { createUser } from '../support/users.ts';

const requestReset = (t: TestApp, email: string) => rest(t.app, 'POST', '/auth/password-reset/request', { body: { email } });

describe('the mail outbox', () => {
  let mailbox: Mailbox;
  let t: TestApp;
  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({
      SMTP_URL: mailbox.url,
      OUTBOX_POLL_MS: '100',
      MAIL_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms',
    });
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.stop();
  });

  it('sends nothing for a transaction that rolls back', async () => {
    const user = await createUser(t.db.prisma);
    const secrets = createSecretBox(t.config.encryptionKey);
    await expect(
      t.db.transaction(async (tx) => {
        await enqueueMail({ secrets }, tx, { template: 'password_changed', to: user.email });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.db.prisma.outboxMessage.count({ where: { payload: { path: ['to'], equals: user.email } } })).toBe(0);
    await requestReset(t, user.email);
    await mailbox.waitFor(user.email);
    expect(mailbox.to(user.email).map((mail) => mail.subject)).toEqual([expect.stringMatching(/reset/i)]);
  });

  it('keeps a message through an SMTP outage and delivers it once when the server is back', async () => {
    const user = await createUser(t.db.prisma);
    await mailbox.stop();
    try {
      expect((await requestReset(t, user.email)).statusCode).toBe(202);
      const queued = await until(
        () => t.db.prisma.outboxMessage.findFirst({ where: { payload: { path: ['to'], equals: user.email }, attempts: { gte: 2 } } }),
        'two failed attempts',
      );
      expect(queued).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/ECONNREFUSED/) });
      expect(queued.sealedSecret).toMatch(/^v1\.[0-9a-f]{8}\./);
    } finally {
      await mailbox.start();
    }
    const [mail] = await mailbox.waitFor(user.email);
    const token = linkToken(mail!, '/admin/reset-password');
    const row = await until(
      () => t.db.prisma.outboxMessage.findFirst({ where: { payload: { path: ['to'], equals: user.email }, status: 'sent' } }),
      'sent',
    );
    expect(row.sealedSecret).toBeNull();
    expect(row.finishedAt).not.toBeNull();
    // A sealed secret is not the token in any readable form.
    expect(JSON.stringify(row)).not.toContain(token);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailbox.to(user.email)).toHaveLength(1);
  });
});

describe('a message with no retry left', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on this port: every attempt fails.
    t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, OUTBOX_POLL_MS: '50', MAIL_RETRY_SCHEDULE: '50ms' });
  });
  afterAll(async () => t?.close());

  it('ends failed, with a log line and a metric for operators, and keeps no secret', async () => {
    const user = await createUser(t.db.prisma);
    await requestReset(t, user.email);
    const failed = await until(() => t.db.prisma.outboxMessage.findFirst({ where: { status: 'failed' } }), 'the final failure');
    expect(failed).toMatchObject({ attempts: 2, sealedSecret: null, lastError: expect.stringMatching(/ECONNREFUSED/) });
    const line = t.logs.find((log) => log.includes('delivery failed for good'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ level: 50, outboxId: failed.id, kind: 'mail', attempts: 2 });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/^ums_outbox_failed\{kind="mail"\} 1$/m);
    expect(metrics).toMatch(/^ums_outbox_deliveries_total\{kind="mail",outcome="failed"\} 1$/m);
    expect(metrics).toMatch(/^ums_outbox_deliveries_total\{kind="mail",outcome="retried"\} 1$/m);
    expect(metrics).toMatch(/^ums_outbox_pending\{kind="mail"\} 0$/m);
  });
});

describe('with no SMTP_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_POLL_MS: '50' });
  });
  afterAll(async () => t?.close());

  it('writes each message as an .eml file under DATA_DIR/mail and logs its name, never the link', async () => {
    const user = await createUser(t.db.prisma, { fullName: 'Edsger Dijkstra' });
    await requestReset(t, user.email);
    const folder = join(t.config.dataDir, 'mail');
    const file = await until(async () => {
      try {
        return readdirSync(folder).find((name) => name.endsWith('.eml'));
      } catch {
        return undefined;
      }
    }, 'the .eml file');
    const parsed = await simpleParser(readFileSync(join(folder, file)));
    expect(parsed.subject).toMatch(/reset/i);
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe(user.email);
    const token = new URL(parsed.text?.match(/http\S+reset-password\S+/)?.[0] ?? 'http://x').searchParams.get('token');
    expect(token).toMatch(/^[\w-]{43}$/);
    const lines = t.logs.filter((log) => log.includes('mail written to a file'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}').file).toBe(join(folder, file));
    expect(t.logs.join('\n')).not.toContain(token);
  });
});

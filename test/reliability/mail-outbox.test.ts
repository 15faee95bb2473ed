import { createDb, type Db } from '@ums/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { type Mailbox, startMailbox } from '../support/mailbox.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';
import { until } from '../support/until.ts';
import { createUser } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';
import { createReliabilityDatabase } from './support/postgres.ts';

// The mail outbox across processes: a server killed (-9) after the commit of a mail and in the middle of sending
// it delivers it after the restart, once; two instances on one database send each message once.

const JWT_SECRET = 'reliability-mail-secret-0123456789abcdef';
const ENCRYPTION_KEY = 'reliability-mail-encryption-key-0123456789';

let url: string;
let db: Db;
let mailbox: Mailbox;
const servers: ServerProcess[] = [];

const start = async (env: Record<string, string> = {}) => {
  const server = spawnServer({
    DATABASE_URL: url,
    PORT: String(await freePort()),
    JWT_SECRET,
    ENCRYPTION_KEY,
    RATE_LIMIT_AUTH: '0',
    SMTP_URL: mailbox.url,
    OUTBOX_POLL_MS: '50',
    ...env,
  });
  servers.push(server);
  await waitForHealth(server.baseUrl, { timeoutMs: 90_000 });
  return server;
};

const requestReset = (server: ServerProcess, email: string) =>
  fetch(`${server.baseUrl}/api/v1/auth/password-reset/request`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });

beforeAll(async () => {
  url = await createReliabilityDatabase();
  db = await createDb(url, { poolSize: 2 });
  mailbox = await startMailbox();
}, 150_000);

afterAll(async () => {
  for (const server of servers) await server.stop('SIGKILL');
  await db?.close();
  await mailbox?.stop();
});

describe('the mail outbox across processes', () => {
  it('delivers a mail once after kill -9 between its commit and its sending', async (context) => {
    const user = await createUser(db.prisma);
    const leaseSeconds = 2;
    const first = await start({ OUTBOX_LEASE_SECONDS: String(leaseSeconds) });
    mailbox.hold();
    expect((await requestReset(first, user.email)).status).toBe(202);
    // The mail is committed and its sender is mid-DATA: the moment to die.
    await until(async () => mailbox.stalled() === 1, 'the sender caught mid-send', 20_000);
    first.child.kill('SIGKILL');
    await first.exited;
    mailbox.release();
    const killedAt = performance.now();

    await start({ OUTBOX_LEASE_SECONDS: String(leaseSeconds) });
    const [mail] = await mailbox.waitFor(user.email, { timeoutMs: 30_000 });
    const deliveredAfterMs = performance.now() - killedAt;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailbox.to(user.email)).toHaveLength(1);
    expect(mail?.subject).toMatch(/reset/i);
    const row = await db.prisma.outboxMessage.findFirstOrThrow({ where: { payload: { path: ['to'], equals: user.email } } });
    expect(row).toMatchObject({ status: 'sent', attempts: 2, sealedSecret: null });
    // Not before the dead claimant's lease ended.
    expect(deliveredAfterMs).toBeGreaterThanOrEqual(leaseSeconds * 1000 - 500);
    reportFigures(context, {
      faultsInjected: 1,
      notes: { 'delivered after the kill (ms)': Math.round(deliveredAfterMs), attempts: row.attempts, copies: 1 },
    });
  });

  it('sends each message once with two instances claiming from one outbox', async (context) => {
    for (const server of servers.splice(0)) await server.stop('SIGKILL');
    const [a, b] = [await start(), await start()];
    const users = await Promise.all(Array.from({ length: 40 }, () => createUser(db.prisma)));
    // Queued while the SMTP server is down, so both instances find the whole backlog due at once when it returns.
    await mailbox.stop();
    const answers = await Promise.all(users.map((user, i) => requestReset(i % 2 === 0 ? a! : b!, user.email)));
    expect(answers.every((res) => res.status === 202)).toBe(true);
    await until(
      async () =>
        (await db.prisma.outboxMessage.count({
          where: { attempts: { gte: 1 }, payload: { path: ['template'], equals: 'password_reset' } },
        })) >= 40,
      'a first failed attempt for every mail',
      20_000,
    );
    await mailbox.start();
    for (const user of users) await mailbox.waitFor(user.email, { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const copies = users.map((user) => mailbox.to(user.email).length);
    expect(copies.every((count) => count === 1)).toBe(true);
    const ids = mailbox.messages.map((mail) => mail.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    reportFigures(context, { instances: 2, notes: { messages: users.length, delivered: copies.reduce((sum, n) => sum + n, 0) } });
  }, 120_000);
});

import { createDb, type Db } from '@ums/db';
import { loadConfig } from '@ums/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';
import { until } from '../support/until.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { reportFigures } from './support/figures.ts';
import { createReliabilityDatabase } from './support/postgres.ts';

// Webhooks across processes: a server killed (-9) while the receiver holds its request delivers the event after
// the restart (at least once, same webhook-id); two instances on one database deliver every event, never the same
// one twice at the same time.

const JWT_SECRET = 'reliability-webhook-secret-0123456789abcdef';
const ENCRYPTION_KEY = 'reliability-webhook-encryption-key-0123456789';

let url: string;
let db: Db;
let receiver: WebhookReceiver;
let admin: SignedIn;
const servers: ServerProcess[] = [];

const start = async (env: Record<string, string> = {}) => {
  const server = spawnServer({
    DATABASE_URL: url,
    PORT: String(await freePort()),
    JWT_SECRET,
    ENCRYPTION_KEY,
    RATE_LIMIT_AUTH: '0',
    OUTBOX_POLL_MS: '50',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2,0.2,0.2',
    ...env,
  });
  servers.push(server);
  await waitForHealth(server.baseUrl, { timeoutMs: 90_000 });
  return server;
};

const call = (server: ServerProcess, method: string, path: string, body?: unknown) =>
  fetch(`${server.baseUrl}/api/v1${path}`, {
    method,
    headers: { ...admin.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  url = await createReliabilityDatabase();
  db = await createDb(url, { poolSize: 2 });
  receiver = await startWebhookReceiver();
}, 150_000);

afterAll(async () => {
  for (const server of servers) await server.stop('SIGKILL');
  await db?.close();
  await receiver?.close();
});

describe('webhooks across processes', () => {
  it('delivers an event after kill -9 in the middle of its delivery', async (context) => {
    const leaseSeconds = 2;
    const first = await start({ OUTBOX_LEASE_SECONDS: String(leaseSeconds) });
    admin = await createSignedInUser(db.prisma, loadConfig({ JWT_SECRET, DATABASE_URL: url }), { roles: ['admin'] });
    const created = await call(first, 'POST', '/webhooks', { url: receiver.url, events: ['user.updated'] });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string };

    // The receiver holds the first request: the server dies while it waits for the answer.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    receiver.respond(async () => {
      if (receiver.received.length === 1) await held;
      return 204;
    });
    const user = await createUser(db.prisma);
    expect((await call(first, 'PUT', `/users/${user.id}`, { fullName: 'Survives' })).status).toBe(200);
    await until(async () => receiver.inFlight() === 1, 'the delivery in flight', 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    release();
    const killedAt = performance.now();

    await start({ OUTBOX_LEASE_SECONDS: String(leaseSeconds) });
    await until(async () => receiver.delivered().length >= 2, 'the delivery after the restart', 30_000);
    const deliveredAfterMs = performance.now() - killedAt;
    const ids = new Set(receiver.received.map((request) => request.id));
    expect(ids.size).toBe(1);
    for (const request of receiver.received) expect(verifyWebhook(request, endpoint.secret)).toMatchObject({ type: 'user.updated' });
    // The outcome is written after the receiver's answer: wait for it rather than race it.
    const rowOf = () =>
      db.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'webhook', orderKey: `${endpoint.id}:user:${user.id}` } });
    await until(async () => (await rowOf()).status !== 'pending', 'the outcome of the delivery', 30_000);
    const row = await rowOf();
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(deliveredAfterMs).toBeGreaterThanOrEqual(leaseSeconds * 1000 - 500);
    await call(servers.at(-1)!, 'DELETE', `/webhooks/${endpoint.id}`);
    reportFigures(context, {
      faultsInjected: 1,
      notes: { 'delivered after the kill (ms)': Math.round(deliveredAfterMs), attempts: row.attempts },
    });
  });

  it('two instances deliver every event, in order per user, and never one event twice at once', async (context) => {
    for (const server of servers.splice(0)) await server.stop('SIGKILL');
    // One endpoint only, even if the test before failed before deleting its own: a second would get the same
    // webhook-id at the same time and count as an overlap.
    await db.prisma.webhookEndpoint.deleteMany();
    const [a, b] = [await start(), await start()];
    receiver.received.length = 0;
    const inFlightIds = new Set<string>();
    let overlaps = 0;
    let failFirst = true;
    receiver.respond(async (request) => {
      if (inFlightIds.has(request.id)) overlaps += 1;
      inFlightIds.add(request.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlightIds.delete(request.id);
      // One failure in the middle, so a retry runs while the other instance is claiming.
      if (failFirst && request.event.data.fullName === 'u3-1') {
        failFirst = false;
        return 500;
      }
      return 204;
    });
    const endpoint = (await (await call(a, 'POST', '/webhooks', { url: receiver.url, events: ['user.updated'] })).json()) as { id: string };
    const users = await Promise.all(Array.from({ length: 8 }, () => createUser(db.prisma)));
    const edits = 3;
    for (let round = 0; round < edits; round += 1) {
      const answers = await Promise.all(
        users.map((user, i) => call(i % 2 === 0 ? a : b, 'PUT', `/users/${user.id}`, { fullName: `u${i}-${round}` })),
      );
      expect(answers.every((res) => res.status === 200)).toBe(true);
    }
    const total = users.length * edits;
    await until(async () => new Set(receiver.delivered().map((r) => r.id)).size === total, `${total} events delivered`, 60_000);
    expect(overlaps).toBe(0);
    for (const [i, user] of users.entries()) {
      const names = receiver
        .delivered()
        .filter((request) => request.event.data.id === user.id)
        .map((request) => request.event.data.fullName);
      expect(names).toEqual(Array.from({ length: edits }, (_, round) => `u${i}-${round}`));
    }
    await call(a, 'DELETE', `/webhooks/${endpoint.id}`);
    reportFigures(context, { instances: 2, notes: { events: total, requests: receiver.received.length, overlaps } });
  }, 120_000);
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { until } from '../support/until.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { attemptsOf, type CreatedEndpoint, createEndpoint, WEBHOOK_TEST_ENV } from './helpers.ts';

describe('webhook delivery', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let admin: SignedIn;
  let endpoint: CreatedEndpoint;

  beforeAll(async () => {
    t = await createTestApp(WEBHOOK_TEST_ENV);
    admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    endpoint = await createEndpoint(t, admin, { url: receiver.url, events: ['user.updated', 'user.deactivated'] });
  });
  afterAll(async () => {
    await t?.close();
  });
  const cleanUp = async () => {
    await rest(t.app, 'DELETE', `/webhooks/${endpoint.id}`, { headers: admin.headers });
    await receiver.close();
  };

  const rename = (userId: string, fullName: string) =>
    rest(t.app, 'PUT', `/users/${userId}`, { headers: admin.headers, body: { fullName } });

  it('a receiver failing 3 times: 4 attempts with one webhook-id, each signed and recorded, then delivered', async () => {
    let failures = 3;
    receiver.respond(() => (failures-- > 0 ? 503 : 200));
    const user = await createUser(t.db.prisma);
    expect((await rename(user.id, 'Retried')).statusCode).toBe(200);
    await receiver.waitFor(() => receiver.delivered().length === 1, 'the delivery');
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
    for (const request of receiver.received) expect(verifyWebhook(request, endpoint.secret)).toMatchObject({ type: 'user.updated' });
    const attempts = await until(async () => {
      const all = await attemptsOf(t, admin, endpoint.id);
      return all.length === 4 && all;
    }, 'four recorded attempts');
    expect(attempts.map(({ attempt, status, responseStatus }) => [attempt, status, responseStatus])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 503],
      [3, 'failed', 503],
      [4, 'succeeded', 200],
    ]);
    expect(new Set(attempts.map((a) => a.eventId))).toEqual(new Set([receiver.received[0]!.id]));
    expect(attempts[0]!.error).toMatch(/503/);
    await cleanUp();
  });

  it('keeps the order per user while an earlier event is being retried; other users are not held up', async () => {
    const held = await createUser(t.db.prisma);
    const other = await createUser(t.db.prisma);
    let heldFailures = 2;
    receiver.respond((request) =>
      request.event.data.id === held.id && request.event.data.fullName === 'First' && heldFailures-- > 0 ? 500 : 204,
    );
    await rename(held.id, 'First');
    await rename(held.id, 'Second');
    await rest(t.app, 'DELETE', `/users/${held.id}`, { headers: admin.headers });
    await rename(other.id, 'Other');
    await receiver.waitFor(() => receiver.delivered().filter((r) => r.event.data.id === held.id).length === 3, 'the held user’s events');
    const heldSeen = receiver.received
      .filter((r) => r.event.data.id === held.id)
      .map((r) => `${r.event.type}:${r.event.data.fullName}:${r.answered}`);
    expect(heldSeen).toEqual([
      'user.updated:First:500',
      'user.updated:First:500',
      'user.updated:First:204',
      'user.updated:Second:204',
      'user.deactivated:Second:204',
    ]);
    // The other user's event went out while the first was waiting for its retry.
    const otherIndex = receiver.received.findIndex((r) => r.event.data.id === other.id);
    const firstSuccess = receiver.received.findIndex((r) => r.event.data.id === held.id && r.answered === 204);
    expect(otherIndex).toBeGreaterThan(-1);
    expect(otherIndex).toBeLessThan(firstSuccess);
    await cleanUp();
  });

  it('after a rotation, signs with both secrets for the overlap, then with the new one alone', async () => {
    const rotated = await rest(t.app, 'POST', `/webhooks/${endpoint.id}/rotate-secret`, { headers: admin.headers });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const { secret: newSecret } = rotated.json();
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(newSecret).not.toBe(endpoint.secret);
    const user = await createUser(t.db.prisma);
    await rename(user.id, 'Rotated');
    await receiver.waitFor((all) => all.length === 1, 'the event');
    const [request] = receiver.received;
    expect(request!.signature.split(' ')).toHaveLength(2);
    expect(verifyWebhook(request!, newSecret)).toMatchObject({ type: 'user.updated' });
    expect(verifyWebhook(request!, endpoint.secret)).toMatchObject({ type: 'user.updated' });

    // The overlap over: only the new secret signs.
    await t.db.prisma.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { previousSecretExpiresAt: new Date(Date.now() - 1000) },
    });
    await rename(user.id, 'Later');
    await receiver.waitFor((all) => all.length === 2, 'the second event');
    const later = receiver.received[1]!;
    expect(later.signature.split(' ')).toHaveLength(1);
    expect(verifyWebhook(later, newSecret)).toMatchObject({ type: 'user.updated' });
    expect(() => verifyWebhook(later, endpoint.secret)).toThrow(/signature/i);
    await cleanUp();
  });

  it('disables an endpoint that has been failing for 3 days, and shows failingSince', async () => {
    receiver.respond(() => 500);
    const user = await createUser(t.db.prisma);
    await rename(user.id, 'Failing');
    await receiver.waitFor((all) => all.length >= 1, 'a first attempt');
    const listed = await until(async () => {
      const items = (await rest(t.app, 'GET', '/webhooks', { headers: admin.headers })).json().items as {
        id: string;
        failingSince: string | null;
      }[];
      return items.find((item) => item.id === endpoint.id && item.failingSince);
    }, 'failingSince');
    expect(Date.parse(listed.failingSince!)).toBeGreaterThan(Date.now() - 60_000);
    await t.db.prisma.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { failingSince: new Date(Date.now() - 3 * 86_400_000 - 1000) },
    });
    const disabled = await until(async () => {
      const row = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
      return !row.enabled && row;
    }, 'the endpoint disabled');
    expect(disabled.failingSince).not.toBeNull();
    const message = await until(
      () => t.db.prisma.outboxMessage.findFirst({ where: { kind: 'webhook', status: 'failed', orderKey: { startsWith: endpoint.id } } }),
      'the delivery failed for good',
    );
    expect(message.lastError).toMatch(/disabled/);
    // Re-enabling starts the failure clock afresh.
    const enabled = await rest(t.app, 'PUT', `/webhooks/${endpoint.id}`, { headers: admin.headers, body: { enabled: true } });
    expect(enabled.json()).toMatchObject({ enabled: true, failingSince: null });
    await cleanUp();
  });

  it('redelivers an attempt’s event as a new attempt with the same webhook-id, and sends a test event', async () => {
    const user = await createUser(t.db.prisma);
    await rename(user.id, 'Once');
    await receiver.waitFor((all) => all.length === 1, 'the event');
    const [first] = await until(async () => {
      const all = await attemptsOf(t, admin, endpoint.id);
      return all.length === 1 && all;
    }, 'the attempt');
    const redelivered = await rest(t.app, 'POST', `/webhooks/deliveries/${first!.id}/redeliver`, { headers: admin.headers });
    expect(redelivered.statusCode, redelivered.body).toBe(202);
    expect(redelivered.json()).toEqual({ eventId: first!.eventId });
    await receiver.waitFor((all) => all.length === 2, 'the redelivery');
    expect(receiver.received[1]!.id).toBe(first!.eventId);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    const attempts = await until(async () => {
      const all = await attemptsOf(t, admin, endpoint.id);
      return all.length === 2 && all;
    }, 'two attempts');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);

    const test = await rest(t.app, 'POST', `/webhooks/${endpoint.id}/test`, { headers: admin.headers });
    expect(test.statusCode, test.body).toBe(202);
    await receiver.waitFor((all) => all.length === 3, 'the test event');
    const sent = receiver.received[2]!;
    expect(sent.id).toBe(test.json().eventId);
    expect(verifyWebhook(sent, endpoint.secret)).toMatchObject({ type: 'webhook.test', data: { endpointId: endpoint.id } });

    const missing = await rest(t.app, 'POST', '/webhooks/deliveries/00000000-0000-4000-8000-000000000000/redeliver', {
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
    await cleanUp();
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const elsewhere = await startWebhookReceiver();
    receiver.respond((_request, response) => {
      response.writeHead(307, { location: elsewhere.url }).end();
      return 307;
    });
    const sent = await rest(t.app, 'POST', `/webhooks/${endpoint.id}/test`, { headers: admin.headers });
    expect(sent.statusCode).toBe(202);
    const attempts = await until(async () => {
      const all = await attemptsOf(t, admin, endpoint.id);
      return all.length >= 1 && all;
    }, 'the attempt');
    expect(attempts[0]).toMatchObject({ status: 'failed', responseStatus: 307 });
    expect(elsewhere.received).toHaveLength(0);
    await elsewhere.close();
    await cleanUp();
  });

  it('counts deliveries by outcome and shows the queue in /metrics, labelled kind="webhook", with no secret', async () => {
    receiver.respond(() => 500);
    const user = await createUser(t.db.prisma);
    await rename(user.id, 'Metered');
    await receiver.waitFor((all) => all.length >= 2, 'a retry');
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/ums_outbox_deliveries_total\{kind="webhook",outcome="retried"\} [1-9]/);
    expect(metrics).toMatch(/ums_outbox_pending\{kind="webhook"\} [1-9]/);
    expect(metrics).toMatch(/ums_outbox_oldest_pending_seconds\{kind="webhook"\} \d/);
    expect(metrics).not.toContain(endpoint.secret.slice(6));
    receiver.respond(() => 204);
    await receiver.waitFor(() => receiver.delivered().length === 1, 'the delivery');
    await until(
      async () =>
        /ums_outbox_deliveries_total\{kind="webhook",outcome="sent"\} [1-9]/.test(
          (await t.app.inject({ method: 'GET', url: '/metrics' })).body,
        ),
      'a sent count',
    );
    expect(t.logs.join('')).not.toContain(endpoint.secret.slice(6));
    await cleanUp();
  });

  it('gives up on a receiver that does not answer within 10 s: a failed attempt, retried', async () => {
    receiver.respond(() => new Promise<number>(() => undefined));
    const sent = await rest(t.app, 'POST', `/webhooks/${endpoint.id}/test`, { headers: admin.headers });
    expect(sent.statusCode).toBe(202);
    const [attempt] = await until(
      async () => {
        const all = await attemptsOf(t, admin, endpoint.id);
        return all.length >= 1 && all;
      },
      'the timed-out attempt',
      30_000,
    );
    expect(attempt).toMatchObject({ status: 'failed', responseStatus: null, error: expect.stringMatching(/^timed out after/) });
    expect(attempt!.durationMs).toBeGreaterThanOrEqual(9900);
    await cleanUp();
  }, 40_000);

  it('deleting an endpoint drops its waiting deliveries and attempts', async () => {
    receiver.respond(() => 500);
    const user = await createUser(t.db.prisma);
    await rename(user.id, 'Dropped');
    await receiver.waitFor((all) => all.length >= 1, 'a first attempt');
    expect((await rest(t.app, 'DELETE', `/webhooks/${endpoint.id}`, { headers: admin.headers })).statusCode).toBe(204);
    expect(await t.db.prisma.outboxMessage.count({ where: { status: 'pending', orderKey: { startsWith: endpoint.id } } })).toBe(0);
    expect(await t.db.prisma.webhookAttempt.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect((await rest(t.app, 'GET', `/webhooks/${endpoint.id}/deliveries`, { headers: admin.headers })).statusCode).toBe(404);
    await receiver.close();
  });
});

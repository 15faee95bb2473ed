import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox.ts';
import { enableTotp } from '../support/mfa.ts';
import { awayFromStepEdge, totpCode } from '../support/totp.ts';
import { createSignedInUser, createUser, type SignedIn, TEST_PASSWORD } from '../support/users.ts';
import { type ReceivedWebhook, startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { type CreatedEndpoint, createEndpoint, WEBHOOK_TEST_ENV } from './helpers.ts';

const USER_FIELDS = ['id', 'email', 'fullName', 'isActive', 'roles', 'createdAt', 'updatedAt', 'version', 'emailVerifiedAt'];
const SECRET_FIELD = /password|hash|token|secret/i;

describe('webhook events', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let admin: SignedIn;
  let endpoint: CreatedEndpoint;
  let mailbox: Mailbox;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    mailbox = await startMailbox();
    t = await createTestApp({ ...WEBHOOK_TEST_ENV, SMTP_URL: mailbox.url });
    admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
    endpoint = await createEndpoint(t, admin, { url: receiver.url });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await mailbox?.stop();
  });
  beforeEach(() => {
    receiver.received.length = 0;
  });

  /** Waits for the one event of `type` about `subjectOf(data)`, verifies its signature and returns it. */
  async function eventOf(type: string, subject: string, key: 'id' | 'name' = 'id'): Promise<ReceivedWebhook> {
    await receiver.waitFor((all) => all.some((r) => r.event.type === type && r.event.data[key] === subject), `${type} of ${subject}`);
    const matching = receiver.received.filter((r) => r.event.type === type && r.event.data[key] === subject);
    expect(matching).toHaveLength(1);
    const [request] = matching as [ReceivedWebhook];
    expect(verifyWebhook(request, endpoint.secret)).toEqual(request.event);
    expect(Object.keys(request.event.data).filter((field) => SECRET_FIELD.test(field))).toEqual([]);
    expect(request.body).not.toMatch(/whsec_|\$argon2/);
    expect(Object.keys(request.event).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(Number.isNaN(Date.parse(request.event.timestamp))).toBe(false);
    // webhook-id is the event id: the audit event of the change.
    expect(await t.db.prisma.auditEvent.count({ where: { id: request.id } })).toBe(1);
    return request;
  }

  it('user.created on registration, with the new user as data', async () => {
    const email = `new-${Date.now()}@example.com`;
    const res = await rest(t.app, 'POST', '/auth/register', { body: { email, password: TEST_PASSWORD, fullName: 'New Person' } });
    expect(res.statusCode, res.body).toBe(201);
    const { user } = res.json();
    const event = await eventOf('user.created', user.id);
    expect(event.event.data).toMatchObject({ id: user.id, email, fullName: 'New Person', roles: ['user'], isActive: true });
    expect(Object.keys(event.event.data)).toEqual(expect.arrayContaining(USER_FIELDS));
  });

  it('user.updated, user.roles_changed, user.deactivated, user.reactivated from the admin routes, each with the user as it became', async () => {
    const user = await createUser(t.db.prisma);
    const headers = admin.headers;
    expect((await rest(t.app, 'PUT', `/users/${user.id}`, { headers, body: { fullName: 'Renamed' } })).statusCode).toBe(200);
    expect((await eventOf('user.updated', user.id)).event.data).toMatchObject({ fullName: 'Renamed', version: 2 });

    expect((await rest(t.app, 'PUT', `/users/${user.id}/roles`, { headers, body: { roles: ['admin', 'user'] } })).statusCode).toBe(200);
    expect((await eventOf('user.roles_changed', user.id)).event.data).toMatchObject({ roles: ['admin', 'user'] });

    expect((await rest(t.app, 'DELETE', `/users/${user.id}`, { headers })).statusCode).toBe(200);
    expect((await eventOf('user.deactivated', user.id)).event.data).toMatchObject({ isActive: false });

    expect((await rest(t.app, 'POST', `/users/${user.id}/reactivate`, { headers })).statusCode).toBe(200);
    expect((await eventOf('user.reactivated', user.id)).event.data).toMatchObject({ isActive: true });
  });

  it('user.updated on a settings change, its data the user after the change (timezone through the settings view)', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const res = await rest(t.app, 'PUT', '/users/me/settings', {
      headers: user.headers,
      body: { settings: [{ key: 'timezone', value: 'Europe/Paris' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await eventOf('user.updated', user.id)).event.data).toMatchObject({ id: user.id, timezone: 'Europe/Paris', version: 2 });
  });

  it('user.email_verified and user.email_changed through the mailed links, with the address as it became', async () => {
    const email = `links-${Date.now()}@example.com`;
    const registered = await rest(t.app, 'POST', '/auth/register', { body: { email, password: TEST_PASSWORD } });
    const { user, accessToken } = registered.json();
    const [verification] = await mailbox.waitFor(email);
    const verified = await rest(t.app, 'POST', '/auth/verify-email', { body: { token: linkToken(verification!, '/admin/verify-email') } });
    expect(verified.statusCode, verified.body).toBe(200);
    const event = await eventOf('user.email_verified', user.id);
    expect(event.event.data).toMatchObject({ email, emailVerifiedAt: expect.any(String) });

    const newEmail = `changed-${Date.now()}@example.com`;
    const requested = await rest(t.app, 'POST', '/users/me/email', {
      headers: { authorization: `Bearer ${accessToken}` },
      body: { newEmail, currentPassword: TEST_PASSWORD },
    });
    expect(requested.statusCode, requested.body).toBe(202);
    const [confirmation] = await mailbox.waitFor(newEmail);
    const confirmed = await rest(t.app, 'POST', '/auth/email-change/confirm', {
      body: { token: linkToken(confirmation!, '/admin/confirm-email-change') },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await eventOf('user.email_changed', user.id)).event.data).toMatchObject({ email: newEmail });
  });

  it('user.password_changed, with no password or hash anywhere in it', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const res = await rest(t.app, 'POST', '/auth/change-password', {
      headers: user.headers,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'another long passphrase 42' },
    });
    expect(res.statusCode, res.body).toBe(204);
    const event = await eventOf('user.password_changed', user.id);
    expect(event.body).not.toContain('another long passphrase 42');
    expect(event.body).not.toContain(TEST_PASSWORD);
  });

  it('user.mfa_enabled when TOTP is confirmed, user.mfa_disabled when it is turned off and when an admin resets it', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const { secret } = await enableTotp(t.app, user.headers);
    const enabled = await eventOf('user.mfa_enabled', user.id);
    expect(enabled.body).not.toContain(secret);
    await awayFromStepEdge();
    const off = await rest(t.app, 'POST', '/users/me/mfa/totp/disable', { headers: user.headers, body: { code: totpCode(secret) } });
    expect(off.statusCode, off.body).toBe(204);
    await eventOf('user.mfa_disabled', user.id);

    const other = await createSignedInUser(t.db.prisma, t.config);
    const { secret: otherSecret } = await enableTotp(t.app, other.headers);
    await eventOf('user.mfa_enabled', other.id);
    const reset = await rest(t.app, 'POST', `/users/${other.id}/mfa/reset`, { headers: admin.headers });
    expect(reset.statusCode, reset.body).toBe(204);
    const disabled = await eventOf('user.mfa_disabled', other.id);
    expect(disabled.body).not.toContain(otherSecret);
  });

  it('role.created, role.updated, role.deleted with the role as the API shows it', async () => {
    const name = `webhook-role-${Date.now()}`;
    const headers = admin.headers;
    expect((await rest(t.app, 'POST', '/rbac/roles', { headers, body: { name, permissions: ['users:read'] } })).statusCode).toBe(201);
    expect((await eventOf('role.created', name, 'name')).event.data).toEqual({
      name,
      description: '',
      permissions: ['users:read'],
      builtIn: false,
      requireMfa: false,
    });
    const update = { permissions: ['audit:read', 'users:read'], description: 'Readers' };
    expect((await rest(t.app, 'PUT', `/rbac/roles/${name}`, { headers, body: update })).statusCode).toBe(200);
    expect((await eventOf('role.updated', name, 'name')).event.data).toMatchObject(update);
    expect((await rest(t.app, 'DELETE', `/rbac/roles/${name}`, { headers })).statusCode).toBe(204);
    expect((await eventOf('role.deleted', name, 'name')).event.data).toMatchObject(update);
  });

  it('a change refused with a 409 version conflict emits nothing, and neither does a refused settings batch', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const stale = await rest(t.app, 'PUT', `/users/${user.id}`, {
      headers: admin.headers,
      body: { fullName: 'Stale', expectedVersion: 7 },
    });
    expect(stale.statusCode).toBe(409);
    const staleSettings = await rest(t.app, 'PUT', '/users/me/settings', {
      headers: user.headers,
      body: { settings: [{ key: 'theme', value: 'dark' }], expectedVersion: 9 },
    });
    expect(staleSettings.statusCode).toBe(409);
    // A later change of the same user is delivered, and is the only event about them.
    expect((await rest(t.app, 'PUT', `/users/${user.id}`, { headers: admin.headers, body: { fullName: 'Fresh' } })).statusCode).toBe(200);
    const event = await eventOf('user.updated', user.id);
    expect(event.event.data).toMatchObject({ fullName: 'Fresh' });
    await t.settled();
    expect(receiver.received.filter((r) => r.event.data.id === user.id)).toHaveLength(1);
    expect(
      await t.db.prisma.outboxMessage.count({ where: { kind: 'webhook', payload: { path: ['subject'], equals: `user:${user.id}` } } }),
    ).toBe(1);
  });

  it("a bulk action emits each changed user's own event, and a refused item (the caller, the last admin rule) emits nothing", async () => {
    const first = await createUser(t.db.prisma);
    const second = await createUser(t.db.prisma);
    const res = await rest(t.app, 'POST', '/users/bulk', {
      headers: admin.headers,
      body: { action: 'deactivate', ids: [first.id, admin.id, second.id] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results.map((result: { ok: boolean }) => result.ok)).toEqual([true, false, true]);
    for (const user of [first, second]) {
      const event = await eventOf('user.deactivated', user.id);
      expect(event.event.data).toMatchObject({ id: user.id, isActive: false });
    }
    await t.settled();
    expect(receiver.received.filter((r) => r.event.data.id === admin.id)).toHaveLength(0);
    expect(
      await t.db.prisma.outboxMessage.count({ where: { kind: 'webhook', payload: { path: ['subject'], equals: `user:${admin.id}` } } }),
    ).toBe(0);
  });

  it('a transaction that rolls back after its audit event was written leaves no delivery', async () => {
    const { recordAudit } = await import('../../packages/server/src/modules/audit/record-audit.ts');
    const user = await createUser(t.db.prisma);
    const actor = { actorId: null, ip: null, userAgent: null, requestId: null };
    await expect(
      t.db.transaction(async (tx) => {
        await recordAudit(tx, actor, { action: 'user.updated', targetType: 'user', targetId: user.id });
        expect(await tx.prisma.outboxMessage.count({ where: { payload: { path: ['subject'], equals: `user:${user.id}` } } })).toBe(1);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.db.prisma.outboxMessage.count({ where: { payload: { path: ['subject'], equals: `user:${user.id}` } } })).toBe(0);
    expect(await t.db.prisma.auditEvent.count({ where: { targetId: user.id } })).toBe(0);
  });

  it('an endpoint gets only the events it subscribed to', async () => {
    const picky = await startWebhookReceiver();
    try {
      await createEndpoint(t, admin, { url: picky.url, events: ['user.deactivated'] });
      const user = await createUser(t.db.prisma);
      await rest(t.app, 'PUT', `/users/${user.id}`, { headers: admin.headers, body: { fullName: 'Ignored' } });
      await rest(t.app, 'DELETE', `/users/${user.id}`, { headers: admin.headers });
      await picky.waitFor((all) => all.length > 0, 'the deactivation');
      await eventOf('user.deactivated', user.id);
      expect(picky.received.map((r) => r.event.type)).toEqual(['user.deactivated']);
    } finally {
      await picky.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { bearer, rest, trpc, trpcError } from '../support/client.ts';
import { type Mailbox, startMailbox } from '../support/mailbox.ts';
import { enableTotp } from '../support/mfa.ts';
import { until } from '../support/until.ts';
import { createSignedInUser, createUser, type SignedIn, signIn, TEST_PASSWORD } from '../support/users.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { createEndpoint, WEBHOOK_TEST_ENV } from '../webhooks/helpers.ts';
import { findInDatabase } from './support.ts';

// users.erase: a person with every kind of data (profile, settings, sessions, MFA, audit events as actor and as
// target, mail sent and pending, webhook deliveries attempted and pending) is erased; afterwards none of their
// values is found through the API or in any text or JSON column of the database, nothing pending about them is sent,
// and the user.erased webhook is.

let t: TestApp;
let mailbox: Mailbox;
let receiver: WebhookReceiver;
let admin: SignedIn;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  mailbox = await startMailbox();
  receiver = await startWebhookReceiver();
  t = await createTestApp({
    ...WEBHOOK_TEST_ENV,
    // Retries soon, so anything about the person left pending would go out while the test watches.
    WEBHOOK_RETRY_SCHEDULE: '0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5',
    MAIL_RETRY_SCHEDULE: '500ms,500ms,500ms,500ms,500ms,500ms,500ms,500ms',
    SMTP_URL: mailbox.url,
  });
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
});

afterAll(async () => {
  await t?.close();
  await mailbox?.stop();
  await receiver?.close();
});

describe('users.erase', () => {
  it('leaves none of the person’s data in the API or the database; pending mail and webhooks are dropped, user.erased is delivered', async () => {
    const marker = randomUUID().slice(0, 8);
    const person = {
      email: `erase.me.${marker}@example.com`,
      fullName: `Zebulon Erasable ${marker}`,
      phoneNumber: `+1415555${String(Number.parseInt(marker.slice(0, 4), 16) % 10000).padStart(4, '0')}`,
      bio: `Keeps bees on the roof ${marker}`,
      pronouns: `xe/${marker}`,
      ip: '203.0.113.77',
      userAgent: `ErasureTestBrowser/${marker}`,
    };
    const from = { remoteAddress: person.ip };
    const ua = { 'user-agent': person.userAgent };

    // Deliveries about the person fail for now: attempts are stored and retries stay pending.
    await createEndpoint(t, admin, { url: receiver.url });
    receiver.respond(() => 503);

    const registered = await rest(t.app, 'POST', '/auth/register', {
      ...from,
      headers: ua,
      body: { email: person.email, password: TEST_PASSWORD, fullName: person.fullName },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const id = registered.json().user.id as string;
    const headers = { ...bearer(registered.json().accessToken), ...ua };
    const asPerson = { ...from, headers };

    expect(
      (await rest(t.app, 'PUT', '/users/me', { ...asPerson, body: { phoneNumber: person.phoneNumber, bio: person.bio } })).statusCode,
    ).toBe(200);
    const settings = await rest(t.app, 'PUT', '/users/me/settings', {
      ...asPerson,
      body: { settings: [{ key: 'profile.pronouns', value: person.pronouns }] },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    await enableTotp(t.app, headers);
    // An administrator's change about the person: the person's values in an event someone else made.
    const byAdmin = await rest(t.app, 'PUT', `/users/${id}`, { headers: admin.headers, body: { bio: `${person.bio}, checked` } });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    // A second session with its own address and user agent.
    await signIn(t.db.prisma, t.config, { id, email: person.email, password: TEST_PASSWORD });

    // Mail sent (the verification link at registration, the MFA notice), and webhook attempts about them stored.
    await mailbox.waitFor(person.email, { count: 2 });
    await until(
      async () => (await t.db.prisma.webhookAttempt.count({ where: { payload: { path: ['subject'], equals: `user:${id}` } } })) >= 2,
      'failed attempts about the person',
    );
    // Mail that cannot go out yet: a password reset while the mail server is away.
    await mailbox.stop();
    expect((await rest(t.app, 'POST', '/auth/password-reset/request', { body: { email: person.email } })).statusCode).toBe(202);
    await t.settled();
    await until(
      async () =>
        (await t.db.prisma.outboxMessage.count({
          where: { kind: 'mail', status: 'pending', payload: { path: ['to'], equals: person.email } },
        })) > 0,
      'pending mail to the person',
    );
    expect(await t.db.prisma.outboxMessage.count({ where: { kind: 'webhook', status: 'pending' } })).toBeGreaterThan(0);
    const mailsBefore = mailbox.to(person.email).length;

    // The scan finds each of them before the erasure (so it can find them after).
    const values = Object.values(person);
    expect(Object.keys(await findInDatabase(t.db.prisma, values)).sort()).toEqual([...values].sort());

    const erased = await rest(t.app, 'POST', `/users/${id}/erase`, { headers: admin.headers });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({
      id,
      email: `erased+${id}@invalid`,
      fullName: null,
      phoneNumber: null,
      bio: null,
      avatarUrl: null,
      timezone: null,
      locale: null,
      isActive: false,
      mfaEnabled: false,
      emailVerifiedAt: null,
    });
    expect(erased.json().deactivatedAt).toEqual(expect.any(String));

    // A delivery some instance had already claimed and was sending when the erasure committed is not recalled:
    // let those arrive (and fail) first. Then everything may go out: only user.erased, with the erased data, is
    // delivered about the person.
    await wait(1000);
    receiver.respond(() => 204);
    await mailbox.start();
    await receiver.waitFor(
      (received) => received.some((r) => r.answered === 204 && r.event.type === 'user.erased' && r.event.data.id === id),
      'user.erased delivered',
    );
    const delivered = receiver.delivered().filter((r) => r.event.data.id === id);
    expect(delivered.map((r) => r.event.type)).toEqual(['user.erased']);
    expect(delivered[0]?.event.data).toMatchObject({ id, email: `erased+${id}@invalid`, fullName: null, bio: null, isActive: false });
    await wait(2500);
    expect(mailbox.to(person.email)).toHaveLength(mailsBefore);
    expect(receiver.delivered().filter((r) => r.event.data.id === id)).toHaveLength(1);

    const mentions = (body: string) => values.filter((value) => body.toLowerCase().includes(value.toLowerCase()));
    // Through the API: the user, lists and searches, the audit trail (as target and as actor), their old session.
    const reads = [
      await rest(t.app, 'GET', `/users/${id}`, { headers: admin.headers }),
      await rest(t.app, 'GET', '/users?limit=100', { headers: admin.headers }),
      await rest(t.app, 'GET', `/users?search=${encodeURIComponent(person.email)}`, { headers: admin.headers }),
      await rest(t.app, 'GET', `/users?search=${encodeURIComponent(person.fullName)}`, { headers: admin.headers }),
      await rest(t.app, 'GET', `/users/${id}/settings`, { headers: admin.headers }),
      await rest(t.app, 'GET', `/audit-events?targetId=${id}&limit=100`, { headers: admin.headers }),
      await rest(t.app, 'GET', `/audit-events?actorId=${id}&limit=100`, { headers: admin.headers }),
      await rest(t.app, 'GET', '/audit-events?limit=100', { headers: admin.headers }),
      // users.export of an erased user: 200 with the erased data.
      await rest(t.app, 'GET', `/users/${id}/export`, { headers: admin.headers }),
    ];
    for (const read of reads) {
      expect(read.statusCode, read.body).toBe(200);
      expect(mentions(read.body), read.body.slice(0, 300)).toEqual([]);
    }
    expect(
      (await rest(t.app, 'GET', `/users?search=${encodeURIComponent(person.email)}`, { headers: admin.headers })).json().items,
    ).toEqual([]);
    // The trail keeps the events, linked by id, without their personal part.
    const trail = (await rest(t.app, 'GET', `/audit-events?targetId=${id}&limit=100`, { headers: admin.headers })).json().items as {
      action: string;
      actorId: string | null;
      changes: object;
      ip: string | null;
      userAgent: string | null;
    }[];
    expect(trail.map((event) => event.action)).toEqual(
      expect.arrayContaining(['auth.register', 'user.profile_updated', 'user.updated', 'user.erased']),
    );
    for (const event of trail.filter((e) => e.action !== 'user.erased')) {
      expect(event.changes).toEqual({});
      // An administrator's address stays on the events they made: it is theirs, not the person's.
      if (event.actorId === id || event.actorId === null) expect(event).toMatchObject({ ip: null, userAgent: null });
    }
    expect((await rest(t.app, 'GET', '/users/me/sessions', { headers })).statusCode).toBe(401);
    expect((await rest(t.app, 'POST', '/auth/login', { body: { email: person.email, password: TEST_PASSWORD } })).statusCode).toBe(401);

    // In the database: every text, varchar, JSON and text[] column of every table.
    expect(await findInDatabase(t.db.prisma, values)).toEqual({});
    for (const count of [
      t.db.prisma.userSession.count({ where: { userId: id } }),
      t.db.prisma.userSetting.count({ where: { userId: id } }),
      t.db.prisma.accountToken.count({ where: { userId: id } }),
      t.db.prisma.mfaTotpFactor.count({ where: { userId: id } }),
      t.db.prisma.mfaRecoveryCode.count({ where: { userId: id } }),
      t.db.prisma.auditEventPersonalData.count({ where: { subjectId: id, NOT: { event: { action: 'user.erased' } } } }),
    ]) {
      expect(await count).toBe(0);
    }
    // The account row stays, with its id.
    expect(await t.db.prisma.user.findUnique({ where: { id }, select: { erasedAt: true } })).toMatchObject({ erasedAt: expect.any(Date) });
  });

  it('answers an erased account again as it is, without a second event; an unknown id is 404', async () => {
    const user = await createUser(t.db.prisma, { fullName: 'Twice Erased' });
    const first = await rest(t.app, 'POST', `/users/${user.id}/erase`, { headers: admin.headers });
    expect(first.statusCode, first.body).toBe(200);
    const again = await trpc(t.app, 'mutation', 'users.erase', { headers: admin.headers, input: { id: user.id } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().result.data).toEqual(first.json());
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.erased', targetId: user.id } })).toBe(1);

    const unknown = await rest(t.app, 'POST', `/users/${randomUUID()}/erase`, { headers: admin.headers });
    expect(unknown.statusCode).toBe(404);
    expect((await rest(t.app, 'POST', '/users/not-a-uuid/erase', { headers: admin.headers })).statusCode).toBe(400);
  });

  it('cannot bring an erased account back (409), nor erase the caller itself (409)', async () => {
    const user = await createUser(t.db.prisma);
    expect((await rest(t.app, 'POST', `/users/${user.id}/erase`, { headers: admin.headers })).statusCode).toBe(200);
    const reactivated = await rest(t.app, 'POST', `/users/${user.id}/reactivate`, { headers: admin.headers });
    expect(reactivated.statusCode, reactivated.body).toBe(409);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).isActive).toBe(false);

    const self = await rest(t.app, 'POST', `/users/${admin.id}/erase`, { headers: admin.headers });
    expect(self.statusCode, self.body).toBe(409);
    const shouted = await rest(t.app, 'POST', `/users/${admin.id.toUpperCase()}/erase`, { headers: admin.headers });
    expect(shouted.json()).toMatchObject({ code: 'CONFLICT', message: self.json().message });
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).erasedAt).toBeNull();
  });

  it('refuses to erase the last active admin (409) and changes nothing', async () => {
    await t.db.prisma.role.create({ data: { name: 'eraser', permissions: { create: [{ permission: 'users:delete' }] } } });
    const eraser = await createSignedInUser(t.db.prisma, t.config, { roles: ['eraser'] });
    const lastAdmin = await createUser(t.db.prisma, { roles: ['admin'], fullName: 'Last Admin' });
    // Every other admin of this file is deactivated first, so `lastAdmin` is the one left.
    await t.db.prisma.user.updateMany({
      where: { id: { not: lastAdmin.id }, roles: { some: { role: { name: 'admin' } } } },
      data: { isActive: false },
    });
    const res = await rest(t.app, 'POST', `/users/${lastAdmin.id}/erase`, { headers: eraser.headers });
    expect(res.statusCode, res.body).toBe(409);
    expect(await t.db.prisma.user.findUniqueOrThrow({ where: { id: lastAdmin.id } })).toMatchObject({
      fullName: 'Last Admin',
      isActive: true,
      erasedAt: null,
    });
    expect(
      trpcError(await trpc(t.app, 'mutation', 'users.erase', { headers: eraser.headers, input: { id: lastAdmin.id } })).data.code,
    ).toBe('CONFLICT');
    await t.db.prisma.user.updateMany({ where: { id: admin.id }, data: { isActive: true } });
  });
});

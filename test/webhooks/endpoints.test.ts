import type { ResolvedAddress } from '@ums/server/src/modules/webhooks/target-guard.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { until } from '../support/until.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';
import { attemptsOf } from './helpers.ts';

/** Play DNS: each test says what a name resolves to. */
const dns = new Map<string, ResolvedAddress[]>();
const resolveHost = async (hostname: string) => {
  const addresses = dns.get(hostname);
  if (!addresses) throw new Error(`ENOTFOUND ${hostname}`);
  return addresses;
};

const issuesOf = (body: { issues?: { path: unknown[]; message: string }[] }) => body.issues ?? [];

describe('webhook endpoints, with the SSRF guard on (production defaults)', () => {
  let t: TestApp;
  let admin: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_POLL_MS: '100', WEBHOOK_RETRY_SCHEDULE: '0.2' }, { resolveHost });
    admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
    dns.set('hooks.example.com', [{ address: '93.184.216.34', family: 4 }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (body: Record<string, unknown>) =>
    rest(t.app, 'POST', '/webhooks', { headers: admin.headers, body: { events: ['*'], ...body } });

  it('creates, lists, updates and deletes an endpoint; the secret only in the create and rotate answers, sealed at rest', async () => {
    const created = await create({ url: 'https://hooks.example.com/ums', description: 'CRM', events: ['user.created', 'role.deleted'] });
    expect(created.statusCode, created.body).toBe(201);
    const endpoint = created.json();
    expect(endpoint).toMatchObject({
      url: 'https://hooks.example.com/ums',
      description: 'CRM',
      events: ['user.created', 'role.deleted'],
      enabled: true,
      failingSince: null,
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await t.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.sealedSecret).not.toContain(endpoint.secret.slice(6));

    const listed = await rest(t.app, 'GET', '/webhooks', { headers: admin.headers });
    expect(listed.body).not.toContain(endpoint.secret.slice(6));
    const { secret: _secret, ...shown } = endpoint;
    expect(listed.json().items).toContainEqual(shown);

    const updated = await rest(t.app, 'PUT', `/webhooks/${endpoint.id}`, {
      headers: admin.headers,
      body: { events: ['*'], enabled: false },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ events: ['*'], enabled: false });
    expect(updated.json()).not.toHaveProperty('secret');

    const rotated = await rest(t.app, 'POST', `/webhooks/${endpoint.id}/rotate-secret`, { headers: admin.headers });
    expect(rotated.json().secret).toMatch(/^whsec_/);

    expect((await rest(t.app, 'DELETE', `/webhooks/${endpoint.id}`, { headers: admin.headers })).statusCode).toBe(204);
    expect((await rest(t.app, 'DELETE', `/webhooks/${endpoint.id}`, { headers: admin.headers })).statusCode).toBe(404);
    expect((await rest(t.app, 'PUT', `/webhooks/${endpoint.id}`, { headers: admin.headers, body: { enabled: true } })).statusCode).toBe(
      404,
    );

    // Audited, without the secret.
    const audit = await t.db.prisma.auditEvent.findMany({ where: { targetId: endpoint.id }, orderBy: { at: 'asc' } });
    expect(audit.map((event) => event.action)).toEqual(['webhook.created', 'webhook.updated', 'webhook.secret_rotated', 'webhook.deleted']);
    const everything = JSON.stringify(audit) + t.logs.join('');
    expect(everything).not.toContain(endpoint.secret.slice(6));
    expect(everything).not.toContain(rotated.json().secret.slice(6));
  });

  it.each([
    ['http: scheme', 'http://hooks.example.com/x', /https/],
    ['loopback literal', 'https://127.0.0.1/x', /public/],
    ['IPv6 loopback', 'https://[::1]/x', /public/],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/x', /public/],
    ['private range', 'https://10.1.2.3/x', /public/],
    ['cloud metadata (link-local)', 'https://169.254.169.254/latest', /public/],
    ['IPv6 unique local', 'https://[fd00::1]/x', /public/],
    ['a name that does not resolve', 'https://nowhere.example.net/x', /resolve/],
    ['credentials in the URL', 'https://user:pw@hooks.example.com/x', /credentials/],
    ['not a URL', 'hooks', /https/],
  ])('refuses %s with a 400 naming url', async (_case, url, message) => {
    const res = await create({ url });
    expect(res.statusCode, res.body).toBe(400);
    const issue = issuesOf(res.json()).find((i) => i.path[0] === 'url');
    expect(issue?.message).toMatch(message);
    expect(await t.db.prisma.webhookEndpoint.count({ where: { url } })).toBe(0);
  });

  it('refuses a public host name that resolves to 127.0.0.1, at create and at update', async () => {
    dns.set('rebind.example.com', [{ address: '127.0.0.1', family: 4 }]);
    const res = await create({ url: 'https://rebind.example.com/hook' });
    expect(res.statusCode).toBe(400);
    expect(issuesOf(res.json())[0]?.path).toEqual(['url']);
    dns.set('mixed.example.com', [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ]);
    expect((await create({ url: 'https://mixed.example.com/hook' })).statusCode).toBe(400);

    const ok = (await create({ url: 'https://hooks.example.com/ok' })).json();
    const moved = await rest(t.app, 'PUT', `/webhooks/${ok.id}`, {
      headers: admin.headers,
      body: { url: 'https://rebind.example.com/hook' },
    });
    expect(moved.statusCode).toBe(400);
    expect(issuesOf(moved.json())[0]?.path).toEqual(['url']);
    await rest(t.app, 'DELETE', `/webhooks/${ok.id}`, { headers: admin.headers });
  });

  it('checks again at delivery: a name that later resolves to a private address is not called', async () => {
    dns.set('later.example.com', [{ address: '93.184.216.34', family: 4 }]);
    const endpoint = (await create({ url: 'https://later.example.com/hook', events: ['user.updated'] })).json();
    dns.set('later.example.com', [{ address: '127.0.0.1', family: 4 }]);
    const user = await createUser(t.db.prisma);
    await rest(t.app, 'PUT', `/users/${user.id}`, { headers: admin.headers, body: { fullName: 'Rebound' } });
    const attempts = await until(async () => {
      const all = await attemptsOf(t, admin, endpoint.id);
      return all.length >= 1 && all;
    }, 'the refused attempt');
    expect(attempts[0]).toMatchObject({ status: 'failed', responseStatus: null });
    expect(attempts[0]!.error).toMatch(/public addresses/);
    await rest(t.app, 'DELETE', `/webhooks/${endpoint.id}`, { headers: admin.headers });
  });

  it('validates the input: unknown events, "*" with others, unknown fields, a bad id', async () => {
    const unknown = await create({ url: 'https://hooks.example.com/x', events: ['user.exploded'] });
    expect(unknown.statusCode).toBe(400);
    expect(issuesOf(unknown.json())[0]?.path).toEqual(['events', 0]);
    const star = await create({ url: 'https://hooks.example.com/x', events: ['*', 'user.created'] });
    expect(issuesOf(star.json())[0]?.path).toEqual(['events']);
    expect((await create({ url: 'https://hooks.example.com/x', events: [] })).statusCode).toBe(400);
    expect((await create({ url: 'https://hooks.example.com/x', secret: 'whsec_mine' })).statusCode).toBe(400);
    expect((await rest(t.app, 'GET', '/webhooks/not-a-uuid/deliveries', { headers: admin.headers })).statusCode).toBe(400);
    expect(
      (await rest(t.app, 'GET', '/webhooks/00000000-0000-4000-8000-000000000000/deliveries?cursor=zz', { headers: admin.headers }))
        .statusCode,
    ).toBe(404);
  });

  it('pages the delivery log newest first with a cursor', async () => {
    dns.set('pages.example.com', [{ address: '93.184.216.34', family: 4 }]);
    const endpoint = (await create({ url: 'https://pages.example.com/hook' })).json();
    await t.db.prisma.webhookAttempt.createMany({
      data: [1, 2, 3].map((attempt) => ({
        endpointId: endpoint.id,
        eventId: `00000000-0000-4000-8000-00000000000${attempt}`,
        type: 'user.updated',
        attempt,
        status: 'failed' as const,
        durationMs: 5,
        payload: {},
        at: new Date(Date.UTC(2026, 0, attempt)),
      })),
    });
    const first = (await rest(t.app, 'GET', `/webhooks/${endpoint.id}/deliveries?limit=2`, { headers: admin.headers })).json();
    expect(first.items.map((a: { attempt: number }) => a.attempt)).toEqual([3, 2]);
    const second = (
      await rest(t.app, 'GET', `/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${first.nextCursor}`, { headers: admin.headers })
    ).json();
    expect(second).toMatchObject({ items: [expect.objectContaining({ attempt: 1 })], nextCursor: null });
    await rest(t.app, 'DELETE', `/webhooks/${endpoint.id}`, { headers: admin.headers });
  });
});

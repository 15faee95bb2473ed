import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { type EnabledTotp, enableTotp } from '../support/mfa.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { SoftwareAuthenticator } from '../support/webauthn-authenticator.ts';

// The export holds exactly the person's data, as the API shows each part, nothing of anyone else, and no secret.

const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';

let t: TestApp;
let admin: SignedIn;
let alice: SignedIn;
let bob: SignedIn;
let totp: EnabledTotp;
/** Alice's second session, made by a real sign-in. */
let aliceLogin: { accessToken: string; refreshToken: string };

const ok = async <T = Record<string, unknown>>(promise: ReturnType<typeof rest>, status = 200): Promise<T> => {
  const res = await promise;
  expect(res.statusCode, res.body).toBe(status);
  return (res.body ? res.json() : undefined) as T;
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'], fullName: 'Ada Admin' });
  alice = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Alice Exporter', email: `alice-${randomUUID()}@example.com` });
  bob = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Bob Bystander', email: `bob-${randomUUID()}@example.com` });

  // Alice's data: profile, preferences, a setting, a second session, TOTP with recovery codes, a passkey.
  await ok(
    rest(t.app, 'PUT', '/users/me', {
      headers: alice.headers,
      body: { phoneNumber: '+14155550123', bio: 'Alice writes exports', timezone: 'Europe/Paris' },
    }),
  );
  await ok(rest(t.app, 'PUT', '/users/me/preferences', { headers: alice.headers, body: { theme: 'dark', notifications: { sms: true } } }));
  await ok(rest(t.app, 'PUT', '/users/me/settings', { headers: alice.headers, body: { settings: [{ key: 'language', value: 'pt-BR' }] } }));
  aliceLogin = await ok(rest(t.app, 'POST', '/auth/login', { body: { email: alice.email, password: alice.password } }));
  totp = await enableTotp(t.app, alice.headers);
  const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
  const options = await ok(rest(t.app, 'POST', '/users/me/passkeys/options', { headers: alice.headers }));
  await ok(
    rest(t.app, 'POST', '/users/me/passkeys', {
      headers: alice.headers,
      body: { name: 'Alice laptop', response: authenticator.register(options as never) },
    }),
    201,
  );
  // Alice as target of someone else's change.
  await ok(rest(t.app, 'PUT', `/users/${alice.id}`, { headers: admin.headers, body: { locale: 'fr' } }));

  // Bob's data, which must stay out of Alice's export.
  await ok(rest(t.app, 'PUT', '/users/me', { headers: bob.headers, body: { bio: 'Bob keeps to himself', phoneNumber: '+14155550999' } }));
  await ok(rest(t.app, 'PUT', `/users/${bob.id}`, { headers: admin.headers, body: { locale: 'de' } }));
});
afterAll(async () => {
  await t?.close();
});

/** Every audit event the admin sees for one filter, newest first, through audit.list's own paging. */
async function auditList(filter: Record<string, string>) {
  const items: { id: string; at: string; actor?: unknown; target?: unknown }[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ ...filter, limit: '100', ...(cursor ? { cursor } : {}) });
    const page = await ok<{ items: { id: string; at: string; actor?: unknown; target?: unknown }[]; nextCursor: string | null }>(
      rest(t.app, 'GET', `/audit-events?${query}`, { headers: admin.headers }),
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** The events where the user is actor or target, as audit.list shows them, newest first, each once. */
/** The events as audit.list shows them, without the people it names: an export holds no one else's name or address. */
async function auditEventsOf(userId: string) {
  const byId = new Map<string, { id: string; at: string }>();
  for (const { actor: _actor, target: _target, ...event } of [
    ...(await auditList({ actorId: userId })),
    ...(await auditList({ targetId: userId })),
  ])
    byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
}

describe('me.export', () => {
  it('holds every part of the caller exactly as the API shows it, as a download', async () => {
    const res = await rest(t.app, 'GET', '/users/me/export', { headers: alice.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="user-export-${alice.id}-${new Date().toISOString().slice(0, 10)}.json"`,
    );
    const exported = res.json();
    expect(Object.keys(exported)).toEqual([
      'exportedAt',
      'user',
      'preferences',
      'settings',
      'roles',
      'sessions',
      'passkeys',
      'auditEvents',
    ]);
    expect(Math.abs(Date.parse(exported.exportedAt) - Date.now())).toBeLessThan(60_000);

    const { permissions: _permissions, ...me } = await ok(rest(t.app, 'GET', '/users/me', { headers: alice.headers }));
    expect(exported.user).toEqual(me);
    expect(exported.user).toMatchObject({
      fullName: 'Alice Exporter',
      phoneNumber: '+14155550123',
      bio: 'Alice writes exports',
      locale: 'fr',
      mfaEnabled: true,
    });
    expect(exported.preferences).toEqual(await ok(rest(t.app, 'GET', '/users/me/preferences', { headers: alice.headers })));
    expect(exported.preferences).toMatchObject({ theme: 'dark', language: 'pt-BR', timezone: 'Europe/Paris' });
    expect(exported.settings).toEqual(
      (await ok<{ settings: unknown[] }>(rest(t.app, 'GET', '/users/me/settings', { headers: alice.headers }))).settings,
    );
    const sessions = (await ok<{ items: unknown[] }>(rest(t.app, 'GET', '/users/me/sessions', { headers: alice.headers }))).items;
    expect(exported.sessions).toEqual(sessions);
    expect(exported.sessions).toHaveLength(2);
    const passkeys = (await ok<{ items: unknown[] }>(rest(t.app, 'GET', '/users/me/passkeys', { headers: alice.headers }))).items;
    expect(exported.passkeys).toEqual(passkeys);
    expect(exported.passkeys).toMatchObject([{ name: 'Alice laptop' }]);
    const roles = (await ok<{ items: { name: string }[] }>(rest(t.app, 'GET', '/rbac/roles', { headers: admin.headers }))).items;
    expect(exported.roles).toEqual(roles.filter((role) => role.name === 'user'));

    // Every event Alice made or that concerns her, newest first, as audit.list shows each; this export's own first.
    const events = await auditEventsOf(alice.id);
    expect(exported.auditEvents).toEqual(events);
    expect(exported.auditEvents[0]).toMatchObject({ action: 'user.exported', actorId: alice.id, targetId: alice.id });
    const actions = exported.auditEvents.map((event: { action: string }) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.updated', 'preferences.updated', 'mfa.totp_enabled', 'passkey.added', 'auth.login']),
    );
    expect(exported.auditEvents.some((event: { actorId: string }) => event.actorId === admin.id)).toBe(true);
  });

  it('holds nothing of anyone else and no secret of any kind', async () => {
    const res = await rest(t.app, 'GET', '/users/me/export', { headers: alice.headers });
    expect(res.statusCode).toBe(200);
    const body = res.body;

    for (const bobs of [bob.id, bob.email, 'Bob Bystander', 'Bob keeps to himself', '+14155550999']) expect(body).not.toContain(bobs);

    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { id: alice.id }, select: { passwordHash: true } });
    const tokens = await t.db.prisma.refreshToken.findMany({ where: { session: { userId: alice.id } }, select: { tokenHash: true } });
    const codes = await t.db.prisma.mfaRecoveryCode.findMany({ where: { userId: alice.id }, select: { codeHash: true } });
    const factor = await t.db.prisma.mfaTotpFactor.findFirstOrThrow({ where: { userId: alice.id }, select: { sealedSecret: true } });
    const passkeys = await t.db.prisma.passkey.findMany({ where: { userId: alice.id }, select: { credentialId: true, publicKey: true } });
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(codes).toHaveLength(10);
    expect(passkeys).toHaveLength(1);
    const secrets = [
      alice.password,
      alice.accessToken,
      alice.refreshToken,
      aliceLogin.accessToken,
      aliceLogin.refreshToken,
      totp.secret,
      ...totp.recoveryCodes,
      user.passwordHash,
      ...tokens.map(({ tokenHash }) => tokenHash),
      ...codes.map(({ codeHash }) => codeHash),
      factor.sealedSecret,
      ...passkeys.flatMap(({ credentialId, publicKey }) => [
        credentialId,
        Buffer.from(publicKey).toString('base64url'),
        Buffer.from(publicKey).toString('base64'),
        Buffer.from(publicKey).toString('hex'),
      ]),
    ];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(10);
      expect(body, 'a secret is in the export').not.toContain(secret);
    }
    // The argon2 hash's salt and digest on their own, and a recovery code however it is written.
    expect(body).not.toMatch(/\$argon2/);
    for (const code of totp.recoveryCodes) expect(body.toLowerCase()).not.toContain(code.replaceAll('-', '').toLowerCase());
  });

  it('is the same document over tRPC', async () => {
    const viaTrpc = trpcData(await trpc(t.app, 'query', 'me.export', { headers: alice.headers }));
    const viaRest = (await rest(t.app, 'GET', '/users/me/export', { headers: alice.headers })).json();
    // The REST export is the later one: its own user.exported event comes first, then the same trail.
    expect(viaRest.auditEvents.slice(1)).toEqual(viaTrpc.auditEvents);
    expect({ ...viaRest, exportedAt: null, auditEvents: null }).toEqual({ ...viaTrpc, exportedAt: null, auditEvents: null });
  });
});

describe('users.export', () => {
  it("exports another user's data, audited with the caller as actor and the user as target", async () => {
    const before = await t.db.prisma.auditEvent.count({ where: { action: 'user.exported', actorId: admin.id, targetId: alice.id } });
    const res = await rest(t.app, 'GET', `/users/${alice.id}/export`, { headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="user-export-${alice.id}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    const exported = res.json();
    expect(exported.user).toEqual(await ok(rest(t.app, 'GET', `/users/${alice.id}`, { headers: admin.headers })));
    // None of Alice's sessions is the admin's: none is marked current.
    expect(exported.sessions).toHaveLength(2);
    expect(exported.sessions.every((session: { current: boolean }) => !session.current)).toBe(true);
    expect(exported.auditEvents[0]).toMatchObject({ action: 'user.exported', actorId: admin.id, targetType: 'user', targetId: alice.id });
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.exported', actorId: admin.id, targetId: alice.id } })).toBe(
      before + 1,
    );
    expect(res.body).not.toContain(bob.email);

    const viaTrpc = await trpc(t.app, 'query', 'users.export', { headers: admin.headers, input: { id: alice.id } });
    expect(viaTrpc.statusCode).toBe(200);
    expect(trpcData(viaTrpc).user).toEqual(exported.user);
  });

  it('answers 404 for an unknown id and records nothing; 400 naming `id` for a malformed one', async () => {
    const unknown = randomUUID();
    const res = await rest(t.app, 'GET', `/users/${unknown}/export`, { headers: admin.headers });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', message: 'No such user' });
    expect(res.headers['content-disposition']).toBeUndefined();
    const viaTrpc = await trpc(t.app, 'query', 'users.export', { headers: admin.headers, input: { id: unknown } });
    expect(viaTrpc.statusCode).toBe(404);
    expect(trpcError(viaTrpc).data.code).toBe('NOT_FOUND');
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.exported', targetId: unknown } })).toBe(0);

    const bad = await rest(t.app, 'GET', '/users/not-a-uuid/export', { headers: admin.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: ['id'] }] });
    const extra = await rest(t.app, 'GET', `/users/${alice.id}/export?fields=all`, { headers: admin.headers });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().issues).toEqual([{ path: ['fields'], message: 'is not a field that can be set here' }]);
  });

  it('needs users:read and audit:read: either one alone is a 403 that records nothing', async () => {
    for (const [name, permission] of [
      ['export-reader', 'users:read'],
      ['export-auditor', 'audit:read'],
    ] as const) {
      await t.db.prisma.role.create({ data: { name, permissions: { create: [{ permission }, { permission: 'user:read' }] } } });
      const caller = await createSignedInUser(t.db.prisma, t.config, { roles: [name] });
      const res = await rest(t.app, 'GET', `/users/${alice.id}/export`, { headers: caller.headers });
      expect(res.statusCode, `${permission} alone`).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
      const viaTrpc = await trpc(t.app, 'query', 'users.export', { headers: caller.headers, input: { id: alice.id } });
      expect(viaTrpc.statusCode).toBe(403);
      expect(await t.db.prisma.auditEvent.count({ where: { action: 'user.exported', actorId: caller.id } })).toBe(0);
    }
    const signedOut = await rest(t.app, 'GET', `/users/${alice.id}/export`);
    expect(signedOut.statusCode).toBe(401);
    expect(signedOut.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

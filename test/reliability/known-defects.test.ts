import { randomUUID } from 'node:crypto';
import { createDb } from '@ums/db';
import { buildApp, loadConfig } from '@ums/server';
import { createTokenService } from '@ums/server/src/modules/auth/tokens.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { deepMarker, expandDeepMarkers } from './support/hostile.ts';
import { startStartingUpPostgres } from './support/starting-postgres.ts';

// Regression tests for the defects the fuzzer found (D1–D7 in docs/security.md), all fixed: NUL characters, lone
// surrogates and hostile nesting are refused as bad input before they reach a query or a recursion
// (packages/server/src/trpc/input-guard.ts), expectedVersion is bounded by its integer column, roles:assign only
// hands out roles whose permissions the caller holds, and a database still starting up counts as unavailable.

let t: TestApp;
let admin: SignedIn;
/** Holds roles:assign and nothing of admin's other permissions. */
let assigner: SignedIn;

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'warn' });
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  await t.db.prisma.role.create({ data: { name: 'assigner', permissions: { create: [{ permission: 'roles:assign' }] } } });
  assigner = await createSignedInUser(t.db.prisma, t.config, { roles: ['user', 'assigner'] });
});
afterAll(() => t?.close());

const send = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: string) =>
  t.app.inject({
    method,
    url,
    headers: { ...admin.headers, 'content-type': 'application/json' },
    ...(payload === undefined ? {} : { payload }),
  });

/** Refused as bad input (400), where these used to be 500s. */
async function expectRefusedAsBadInput(res: Awaited<ReturnType<typeof send>>) {
  expect(res.statusCode, res.body).toBe(400);
}

describe('D1: a NUL character in a string input reaches PostgreSQL (500 instead of 400)', () => {
  // PostgreSQL text and jsonb cannot hold U+0000 (SQLSTATE 22021 / 22P05); nothing between zod and the query
  // refuses it. Seen in users.list (search, role), audit.list (targetId, action), auth.login (email),
  // rbac.roles.create/update (description, name), users.roles.set (roles), me/users.settings.update (values).
  it('users.list ?search=%00 (services/users/list-users.ts)', async () => {
    await expectRefusedAsBadInput(await send('GET', '/api/v1/users?search=%00'));
  });
  it('me.settings.update with a string value holding NUL (services/settings/write-settings.ts upsert)', async () => {
    await expectRefusedAsBadInput(
      await send('PUT', '/api/v1/users/me/settings', '{"settings":[{"key":"profile.headline","value":"a\\u0000b"}]}'),
    );
  });
  it('auth.login with NUL in the email (services/auth/log-in.ts findUnique)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"a\\u0000@example.com","password":"whatever it is"}',
    });
    expect(res.statusCode, res.body).toBeLessThan(500);
  });
  it('rbac.roles.create with NUL in the description (services/roles/create-role.ts)', async () => {
    await expectRefusedAsBadInput(
      await send('POST', '/api/v1/rbac/roles', '{"name":"nul-role","description":"a\\u0000b","permissions":[]}'),
    );
  });
});

describe('D2: a lone UTF-16 surrogate in a string stored as JSON (500 instead of 400)', () => {
  // Valid JSON text, but PostgreSQL's json parser refuses "\ud800" without its pair (SQLSTATE 22P02): setting values
  // (jsonb) and every audited change (audit_events.changes) fail. The profile write rolls back, so nothing is lost.
  it('me.update bio "a\\ud800b" (the audit event of the change)', async () => {
    await expectRefusedAsBadInput(await send('PUT', '/api/v1/users/me', '{"bio":"a\\ud800b"}'));
  });
  it('me.settings.update with a lone surrogate in a value', async () => {
    await expectRefusedAsBadInput(
      await send('PUT', '/api/v1/users/me/settings', '{"settings":[{"key":"profile.headline","value":"a\\udfffb"}]}'),
    );
  });
});

describe('D3: input nested thousands deep overflows the stack (500 instead of 400)', () => {
  it('any REST body nested 5000 deep: the REST adapter re-serialises the parsed body (trpc-to-openapi → @trpc/server createBody)', async () => {
    const deep = expandDeepMarkers(JSON.stringify({ bio: deepMarker('array', 5000) }));
    await expectRefusedAsBadInput(await send('PUT', '/api/v1/users/me', deep));
  });
  it('a json setting value nested 3000 deep, over tRPC too (services/settings/check-setting-value.ts JSON.stringify)', async () => {
    const deep = expandDeepMarkers(JSON.stringify({ settings: [{ key: 'ui.dashboard_widgets', value: deepMarker('array', 3000) }] }));
    await expectRefusedAsBadInput(await send('POST', '/trpc/me.settings.update', deep));
  });
});

describe('D6: an expectedVersion beyond the integer column on the settings write path (500 instead of 400 or 409)', () => {
  // ZExpectedVersion (contract/fields.ts) has no maximum; services/settings/write-settings.ts compares it with the
  // int4 settings_version in raw SQL, and PostgreSQL refuses the parameter (SQLSTATE 22003). The profile path
  // answers 409 for the same input.
  it('me.preferences.update with expectedVersion 2^31: refused (400) or stale (409) like the profile', async () => {
    const res = await send('PUT', '/api/v1/users/me/preferences', JSON.stringify({ theme: 'dark', expectedVersion: 2 ** 31 }));
    expect([400, 409], res.body).toContain(res.statusCode);
  });
});

describe('D5: roles:assign hands out permissions its holder does not have (privilege escalation)', () => {
  // rbac.roles.create/update refuse to grant permissions the caller lacks (services/roles/grant-guard.ts, 403);
  // users.roles.set (services/users/set-user-roles.ts) has no such check, so roles:assign alone reaches admin.
  it('a caller with only roles:assign cannot make themselves admin', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/users/${assigner.id}/roles`,
      headers: { ...assigner.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ roles: ['user', 'assigner', 'admin'] }),
    });
    expect(res.statusCode, res.body).toBe(403);
  });
});

describe('D7: PostgreSQL still starting up (SQLSTATE 57P03) is answered 500, not 503', () => {
  // After a crash or restart PostgreSQL accepts connections before it accepts sessions, refusing them with 57P03.
  // Prisma reports that as P2010 with the SQLSTATE in `meta.code` and the message; isDatabaseUnavailable
  // (packages/server/src/errors.ts) reads neither, so the request fails with 500. Seen under the outage test.
  it('a signed-in request while the database is starting up gets 503', async () => {
    const starting = await startStartingUpPostgres();
    const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_AUTH: '0' });
    const db = await createDb(starting.url, { poolSize: 1 });
    const app = await buildApp(config, { db });
    try {
      const token = createTokenService(config).signAccessToken({ userId: randomUUID(), sessionId: randomUUID() });
      const res = await app.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, res.body).toBe(503);
    } finally {
      await app.close();
      await db.close();
      await starting.close();
    }
  });
});

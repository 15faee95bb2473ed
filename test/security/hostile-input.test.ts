import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepMarker, expandDeepMarkers } from '../reliability/support/hostile.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

// Input that PostgreSQL cannot store or that would overflow the stack is refused as bad input before it reaches a
// query or a recursion: NUL characters, lone surrogates and hostile nesting (the input guard, also run by the JSON
// body parser), and an expectedVersion beyond its integer column. The fuzzer (test/reliability/fuzz.test.ts) found
// each as a 500; D1–D3 and D6 in docs/security.md tell how.

let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'warn' });
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
});
afterAll(() => t?.close());

/** JSON text built by hand (nesting too deep to be worth building as a value), sent as it is. */
const sendJsonText = (method: 'POST' | 'PUT', url: string, payload: string) =>
  t.app.inject({ method, url, headers: { ...admin.headers, 'content-type': 'application/json' }, payload });

/** Refused as bad input (400). */
async function expectRefusedAsBadInput(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(400);
}

describe('a NUL character in a string input is refused (D1)', () => {
  // PostgreSQL text and jsonb cannot hold U+0000 (SQLSTATE 22021 / 22P05). Seen in users.list (search, role),
  // audit.list (targetId, action), auth.login (email), rbac.roles.create/update (description, name),
  // users.roles.set (roles), me/users.settings.update (values).
  it('users.list ?search=%00', async () => {
    await expectRefusedAsBadInput(await rest(t.app, 'GET', '/users?search=%00', { headers: admin.headers }));
  });
  it('me.settings.update with a string value holding NUL', async () => {
    await expectRefusedAsBadInput(
      await rest(t.app, 'PUT', '/users/me/settings', {
        headers: admin.headers,
        body: { settings: [{ key: 'profile.headline', value: 'a\u0000b' }] },
      }),
    );
  });
  it('auth.login with NUL in the email', async () => {
    const res = await rest(t.app, 'POST', '/auth/login', { body: { email: 'a\u0000@example.com', password: 'whatever it is' } });
    expect(res.statusCode, res.body).toBeLessThan(500);
  });
  it('rbac.roles.create with NUL in the description', async () => {
    await expectRefusedAsBadInput(
      await rest(t.app, 'POST', '/rbac/roles', {
        headers: admin.headers,
        body: { name: 'nul-role', description: 'a\u0000b', permissions: [] },
      }),
    );
  });
});

describe('a lone UTF-16 surrogate in a string stored as JSON is refused (D2)', () => {
  // Valid JSON text, but PostgreSQL's json parser refuses "\ud800" without its pair (SQLSTATE 22P02): setting values
  // (jsonb) and every audited change (audit_events.changes) would fail.
  it('me.update bio "a\\ud800b" (the audit event of the change)', async () => {
    await expectRefusedAsBadInput(await rest(t.app, 'PUT', '/users/me', { headers: admin.headers, body: { bio: 'a\ud800b' } }));
  });
  it('me.settings.update with a lone surrogate in a value', async () => {
    await expectRefusedAsBadInput(
      await rest(t.app, 'PUT', '/users/me/settings', {
        headers: admin.headers,
        body: { settings: [{ key: 'profile.headline', value: 'a\udfffb' }] },
      }),
    );
  });
});

describe('input nested thousands deep is refused before it overflows the stack (D3)', () => {
  it('any REST body nested 5000 deep: the REST adapter re-serialises the parsed body (trpc-to-openapi → @trpc/server createBody)', async () => {
    const deep = expandDeepMarkers(JSON.stringify({ bio: deepMarker('array', 5000) }));
    await expectRefusedAsBadInput(await sendJsonText('PUT', '/api/v1/users/me', deep));
  });
  it('a json setting value nested 3000 deep, over tRPC too (the setting value check serialises it)', async () => {
    const deep = expandDeepMarkers(JSON.stringify({ settings: [{ key: 'ui.dashboard_widgets', value: deepMarker('array', 3000) }] }));
    await expectRefusedAsBadInput(await sendJsonText('POST', '/trpc/me.settings.update', deep));
  });
});

describe('an expectedVersion beyond the integer column on the settings write path is refused or stale (D6)', () => {
  // The settings write compares it with the int4 settings_version, which PostgreSQL refuses beyond 2^31 - 1
  // (SQLSTATE 22003). The profile path answers 409 for the same input.
  it('me.preferences.update with expectedVersion 2^31: refused (400) or stale (409) like the profile', async () => {
    const res = await rest(t.app, 'PUT', '/users/me/preferences', {
      headers: admin.headers,
      body: { theme: 'dark', expectedVersion: 2 ** 31 },
    });
    expect([400, 409], res.body).toContain(res.statusCode);
  });
});

import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { bearer, rest, trpc } from '../support/client.ts';

let t: TestApp;
const email = 'secret-keeper@example.com';
const passwords = ['first secret passphrase', 'second secret passphrase', 'never my password, wrong'];
const [firstPassword = '', secondPassword = '', wrongPassword = ''] = passwords;

/** Every auth response of the scenario, with the refresh token it issued (if any). */
const responses: { label: string; res: LightMyRequestResponse }[] = [];
const passwordHashes = new Set<string>();
const refreshTokens: string[] = [];
const accessTokens: string[] = [];

async function call(label: string, send: () => Promise<LightMyRequestResponse>) {
  const res = await send();
  responses.push({ label, res });
  const body = safeJson(res.body);
  const data = body?.result?.data ?? body;
  if (typeof data?.refreshToken === 'string') refreshTokens.push(data.refreshToken);
  if (typeof data?.accessToken === 'string') accessTokens.push(data.accessToken);
  return { res, data };
}

function safeJson(text: string) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const currentHash = async () => {
  const row = await t.db.prisma.user.findUniqueOrThrow({ where: { email }, select: { passwordHash: true } });
  passwordHashes.add(row.passwordHash);
};

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'trace', LOGIN_LOCKOUT: '3' });

  const registered = await call('register', () => rest(t.app, 'POST', '/auth/register', { body: { email, password: firstPassword } }));
  expect(registered.res.statusCode).toBe(201);
  await currentHash();
  await call('register taken', () => trpc(t.app, 'mutation', 'auth.register', { input: { email, password: firstPassword } }));
  await call('register invalid', () =>
    rest(t.app, 'POST', '/auth/register', { body: { email: 'bad', password: firstPassword, extra: firstPassword } }),
  );
  await call('register same as email', () =>
    rest(t.app, 'POST', '/auth/register', { body: { email: 'a-b-c-d-e-f@x.io', password: 'A-B-C-D-E-F@x.io' } }),
  );

  const login = await call('login', () => trpc(t.app, 'mutation', 'auth.login', { input: { email, password: firstPassword } }));
  await call('login wrong', () => rest(t.app, 'POST', '/auth/login', { body: { email, password: wrongPassword } }));
  await call('login unknown', () =>
    trpc(t.app, 'mutation', 'auth.login', { input: { email: 'nobody@example.com', password: firstPassword } }),
  );
  await call('login too long', () =>
    rest(t.app, 'POST', '/auth/login', { body: { email, password: `${firstPassword}${'x'.repeat(200)}` } }),
  );

  const refreshed = await call('refresh', () => rest(t.app, 'POST', '/auth/refresh', { body: { refreshToken: login.data.refreshToken } }));
  const second = await call('refresh tRPC', () =>
    trpc(t.app, 'mutation', 'auth.refresh', { input: { refreshToken: refreshed.data.refreshToken } }),
  );
  await call('refresh reuse', () => rest(t.app, 'POST', '/auth/refresh', { body: { refreshToken: login.data.refreshToken } }));
  await call('refresh invalid', () =>
    trpc(t.app, 'mutation', 'auth.refresh', { input: { refreshToken: second.data.refreshToken.slice(1) } }),
  );

  const session = await call('login again', () => rest(t.app, 'POST', '/auth/login', { body: { email, password: firstPassword } }));
  const headers = bearer(session.data.accessToken);
  await call('change wrong', () =>
    rest(t.app, 'POST', '/auth/change-password', { body: { currentPassword: wrongPassword, newPassword: secondPassword }, headers }),
  );
  await call('change invalid', () =>
    trpc(t.app, 'mutation', 'auth.changePassword', { input: { currentPassword: firstPassword, newPassword: firstPassword }, headers }),
  );
  await call('change', () =>
    trpc(t.app, 'mutation', 'auth.changePassword', { input: { currentPassword: firstPassword, newPassword: secondPassword }, headers }),
  );
  await currentHash();
  for (let i = 0; i < 3; i++)
    await call(`lockout ${i}`, () => rest(t.app, 'POST', '/auth/login', { body: { email, password: firstPassword } }));
  await call('locked', () => trpc(t.app, 'mutation', 'auth.login', { input: { email, password: secondPassword } }));
  await call('logout', () => rest(t.app, 'POST', '/auth/logout', { headers }));
  await t.db.prisma.user.update({ where: { email }, data: { lockedUntil: null } });
  const last = await call('login last', () => rest(t.app, 'POST', '/auth/login', { body: { email, password: secondPassword } }));
  await call('logout-all', () => trpc(t.app, 'mutation', 'auth.logoutAll', { headers: bearer(last.data.accessToken) }));
});
afterAll(() => t.close());

describe('no password, hash or token in a response or a log line', () => {
  it('ran the whole scenario with the expected outcomes and captured logs', () => {
    expect(responses.map(({ label, res }) => `${label} ${res.statusCode}`)).toEqual([
      'register 201',
      'register taken 409',
      'register invalid 400',
      'register same as email 400',
      'login 200',
      'login wrong 401',
      'login unknown 401',
      'login too long 400',
      'refresh 200',
      'refresh tRPC 200',
      'refresh reuse 401',
      'refresh invalid 401',
      'login again 200',
      'change wrong 400',
      'change invalid 400',
      'change 200',
      'lockout 0 401',
      'lockout 1 401',
      'lockout 2 401',
      'locked 429',
      'logout 204',
      'login last 200',
      'logout-all 200',
    ]);
    expect(passwordHashes.size).toBe(2);
    expect(refreshTokens).toHaveLength(6);
    expect(t.logs.length).toBeGreaterThan(20);
  });

  it('responses carry no password and no hash; each refresh token only in the response that issued it', async () => {
    const tokenHashes = (await t.db.prisma.refreshToken.findMany({ select: { tokenHash: true } })).map((row) => row.tokenHash);
    expect(tokenHashes.length).toBeGreaterThanOrEqual(5);
    for (const { label, res } of responses) {
      const text = `${JSON.stringify(res.headers)}\n${res.body}`;
      for (const secret of [...passwords, 'A-B-C-D-E-F@x.io', ...passwordHashes, ...tokenHashes]) {
        expect(text.includes(secret), `${label} leaks a secret`).toBe(false);
      }
      // Argon2 hashes have a recognisable shape, whichever one it is.
      expect(text, label).not.toMatch(/\$argon2/);
    }
    for (const token of refreshTokens) {
      expect(responses.filter(({ res }) => res.body.includes(token))).toHaveLength(1);
    }
  });

  it('log lines carry no password, hash, refresh token, token hash or access token', async () => {
    const tokenHashes = (await t.db.prisma.refreshToken.findMany({ select: { tokenHash: true } })).map((row) => row.tokenHash);
    const logs = t.logs.join('\n');
    for (const secret of [...passwords, 'A-B-C-D-E-F@x.io', ...passwordHashes, ...refreshTokens, ...tokenHashes, ...accessTokens]) {
      expect(logs.includes(secret)).toBe(false);
    }
    expect(logs).not.toMatch(/\$argon2/);
  });

  it('the audit trail records the events and no secret', async () => {
    const events = await t.db.prisma.auditEvent.findMany({ orderBy: { at: 'asc' } });
    const actions = new Set(events.map((event) => event.action));
    const expected = [
      'auth.register',
      'auth.login',
      'auth.login_failed',
      'auth.refresh_reuse',
      'auth.password_changed',
      'auth.logout',
      'auth.logout_all',
    ];
    for (const action of expected) {
      expect(actions).toContain(action);
    }
    const tokenHashes = (await t.db.prisma.refreshToken.findMany({ select: { tokenHash: true } })).map((row) => row.tokenHash);
    const text = JSON.stringify(events);
    for (const secret of [...passwords, ...passwordHashes, ...refreshTokens, ...tokenHashes, ...accessTokens]) {
      expect(text.includes(secret)).toBe(false);
    }
  });
});

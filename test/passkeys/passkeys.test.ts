import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { type Mailbox, startMailbox } from '../support/mailbox.ts';
import { firstStep } from '../support/mfa.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { type CeremonyOptions, SoftwareAuthenticator } from '../support/webauthn-authenticator.ts';

// The test app's PUBLIC_URL is http://localhost:3000: the RP ID is `localhost`, the one origin that URL's.
const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';

let t: TestApp;
let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await startMailbox();
  t = await createTestApp({ SMTP_URL: mailbox.url, OUTBOX_POLL_MS: '100' });
});
afterAll(async () => {
  await t?.close();
  await mailbox?.stop();
});

const registrationOptions = async (user: SignedIn) => {
  const res = await rest(t.app, 'POST', '/users/me/passkeys/options', { headers: user.headers });
  expect(res.statusCode).toBe(200);
  return res.json();
};

/** A user with one passkey registered through the API. */
async function userWithPasskey(name = 'Laptop') {
  const user = await createSignedInUser(t.db.prisma, t.config);
  const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
  const response = authenticator.register(await registrationOptions(user));
  const res = await rest(t.app, 'POST', '/users/me/passkeys', { headers: user.headers, body: { name, response } });
  expect(res.statusCode).toBe(201);
  return { user, authenticator, passkey: res.json() };
}

const signInOptions = async (body: Record<string, unknown> = {}) => {
  const res = await rest(t.app, 'POST', '/auth/passkey/options', { body });
  expect(res.statusCode).toBe(200);
  return res.json() as Promise<{ attemptId: string; options: { challenge: string; allowCredentials?: { id: string }[] } }>;
};

const passkeyLogin = async (authenticator: SoftwareAuthenticator, ceremony: CeremonyOptions = {}, body: Record<string, unknown> = {}) => {
  const { attemptId, options } = await signInOptions(body);
  return rest(t.app, 'POST', '/auth/passkey/login', { body: { attemptId, response: authenticator.assert(options, ceremony) } });
};

describe('me.passkeys: registration and management', () => {
  it('registers a passkey: options as the contract asks, stored with its counter, listed, counted, audited, mailed', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const options = await registrationOptions(user);
    expect(options).toMatchObject({
      rp: { id: RP_ID },
      user: { name: user.email },
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      excludeCredentials: [],
    });
    const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const res = await rest(t.app, 'POST', '/users/me/passkeys', {
      headers: user.headers,
      body: { name: ' Laptop ', response: authenticator.register(options) },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      name: 'Laptop',
      createdAt: expect.any(String),
      lastUsedAt: null,
      backedUp: true,
      transports: ['internal'],
    });
    const row = await t.db.prisma.passkey.findUniqueOrThrow({ where: { credentialId: authenticator.id } });
    expect(row).toMatchObject({ userId: user.id, counter: 0n, backedUp: true });
    expect((await rest(t.app, 'GET', '/users/me/passkeys', { headers: user.headers })).json()).toEqual({ items: [res.json()] });
    expect((await rest(t.app, 'GET', '/users/me/mfa', { headers: user.headers })).json()).toMatchObject({ passkeys: 1 });
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).json().mfaEnabled).toBe(true);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'passkey.added', targetId: user.id } })).toBe(1);
    expect((await mailbox.waitFor(user.email))[0]?.subject).toMatch(/passkey was added/i);

    // The next options exclude it, and the same credential cannot be registered again.
    const next = await registrationOptions(user);
    expect(next.excludeCredentials).toEqual([expect.objectContaining({ id: authenticator.id })]);
    const again = await rest(t.app, 'POST', '/users/me/passkeys', {
      headers: user.headers,
      body: { name: 'Again', response: authenticator.register(next) },
    });
    expect(again.statusCode).toBe(409);
  });

  it('refuses a credential id registered to another user, and leaves theirs alone', async () => {
    const { authenticator, user: owner } = await userWithPasskey();
    const other = await createSignedInUser(t.db.prisma, t.config);
    const res = await rest(t.app, 'POST', '/users/me/passkeys', {
      headers: other.headers,
      body: { name: 'Stolen', response: authenticator.register(await registrationOptions(other)) },
    });
    expect(res.statusCode).toBe(409);
    expect((await t.db.prisma.passkey.findUniqueOrThrow({ where: { credentialId: authenticator.id } })).userId).toBe(owner.id);
    expect(await t.db.prisma.passkey.count({ where: { userId: other.id } })).toBe(0);
  });

  it.each<[string, CeremonyOptions]>([
    ['a wrong origin', { origin: 'https://evil.example' }],
    ['a wrong RP ID', { rpId: 'evil.example' }],
    ['no user verification', { userVerified: false }],
  ])('refuses registration with %s (400, nothing stored)', async (_, ceremony) => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const response = new SoftwareAuthenticator(ORIGIN, RP_ID).register(await registrationOptions(user), ceremony);
    const res = await rest(t.app, 'POST', '/users/me/passkeys', { headers: user.headers, body: { name: 'x', response } });
    expect(res.statusCode).toBe(400);
    expect(res.json().reason).toBe('PASSKEY_INVALID');
    expect(await t.db.prisma.passkey.count({ where: { userId: user.id } })).toBe(0);
  });

  it('a registration challenge works once, for 5 minutes, and only in the session that asked for it', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
    // Another session of the same user cannot answer it.
    const otherSession = await createSignedInUser(t.db.prisma, t.config);
    const foreign = authenticator.register(await registrationOptions(otherSession));
    expect(
      (await rest(t.app, 'POST', '/users/me/passkeys', { headers: user.headers, body: { name: 'x', response: foreign } })).statusCode,
    ).toBe(400);

    // Expired.
    const options = await registrationOptions(user);
    await t.db.prisma.passkeyChallenge.updateMany({
      where: { challenge: options.challenge },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await rest(t.app, 'POST', '/users/me/passkeys', {
      headers: user.headers,
      body: { name: 'x', response: authenticator.register(options) },
    });
    expect(expired.statusCode).toBe(400);

    // Used once (even a failed try uses it up): the good answer to a challenge already tried is refused.
    const fresh = await registrationOptions(user);
    const bad = authenticator.register(fresh, { origin: 'https://evil.example' });
    expect(
      (await rest(t.app, 'POST', '/users/me/passkeys', { headers: user.headers, body: { name: 'x', response: bad } })).statusCode,
    ).toBe(400);
    const retry = await rest(t.app, 'POST', '/users/me/passkeys', {
      headers: user.headers,
      body: { name: 'x', response: authenticator.register(fresh) },
    });
    expect(retry.statusCode).toBe(400);
    expect(await t.db.prisma.passkey.count({ where: { userId: user.id } })).toBe(0);
  });

  it('renames and deletes only your own passkeys; delete audits and mails', async () => {
    const { user, passkey } = await userWithPasskey();
    const other = await createSignedInUser(t.db.prisma, t.config);
    expect(
      (await rest(t.app, 'PUT', `/users/me/passkeys/${passkey.id}`, { headers: other.headers, body: { name: 'Mine' } })).statusCode,
    ).toBe(404);
    expect((await rest(t.app, 'DELETE', `/users/me/passkeys/${passkey.id}`, { headers: other.headers })).statusCode).toBe(404);
    const renamed = await rest(t.app, 'PUT', `/users/me/passkeys/${passkey.id}`, { headers: user.headers, body: { name: 'Phone' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Phone');
    const blank = await rest(t.app, 'PUT', `/users/me/passkeys/${passkey.id}`, { headers: user.headers, body: { name: '  ' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().issues[0].path).toEqual(['name']);

    expect((await rest(t.app, 'DELETE', `/users/me/passkeys/${passkey.id}`, { headers: user.headers })).statusCode).toBe(204);
    expect(await t.db.prisma.passkey.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'passkey.removed', targetId: user.id } })).toBe(1);
    const subjects = (await mailbox.waitFor(user.email, { count: 2 })).map((mail) => mail.subject);
    expect(subjects).toEqual(expect.arrayContaining([expect.stringMatching(/passkey was removed/i)]));
    expect((await rest(t.app, 'GET', '/users/me', { headers: user.headers })).json().mfaEnabled).toBe(false);
  });

  it('a passkey satisfies requireMfa; deleting the last factor while it is required is a 409 that changes nothing', async () => {
    const role = await t.db.prisma.role.create({ data: { name: `strict-${Date.now()}`, requireMfa: true }, select: { id: true } });
    const { user, passkey } = await userWithPasskey();
    await t.db.prisma.userRole.create({ data: { userId: user.id, roleId: role.id } });
    // Enrolled: an ordinary procedure answers.
    expect((await rest(t.app, 'GET', '/users/me/sessions', { headers: user.headers })).statusCode).toBe(200);
    expect((await rest(t.app, 'GET', '/users/me/mfa', { headers: user.headers })).json()).toMatchObject({ passkeys: 1, required: true });
    const refused = await rest(t.app, 'DELETE', `/users/me/passkeys/${passkey.id}`, { headers: user.headers });
    expect(refused.statusCode).toBe(409);
    expect(await t.db.prisma.passkey.count({ where: { userId: user.id } })).toBe(1);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'passkey.removed', targetId: user.id } })).toBe(0);
  });
});

describe('auth.passkey: signing in with a passkey', () => {
  it('signs in with a discoverable credential: a session with methods ["passkey"], the counter and last use recorded', async () => {
    const { user, authenticator } = await userWithPasskey();
    const { attemptId, options } = await signInOptions();
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: 'required' });
    expect(options.allowCredentials ?? []).toEqual([]);
    const res = await rest(t.app, 'POST', '/auth/passkey/login', { body: { attemptId, response: authenticator.assert(options) } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String), user: { id: user.id, mfaEnabled: true } });
    const session = await t.db.prisma.userSession.findFirstOrThrow({ where: { userId: user.id, methods: { has: 'passkey' } } });
    expect(session.methods).toEqual(['passkey']);
    const row = await t.db.prisma.passkey.findUniqueOrThrow({ where: { credentialId: authenticator.id } });
    expect(row.counter).toBe(1n);
    expect(row.lastUsedAt).not.toBeNull();
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'auth.login', targetId: user.id } })).toBe(1);
  });

  it("with an email, offers only that account's passkeys and refuses another user's", async () => {
    const { user, authenticator } = await userWithPasskey();
    const { authenticator: othersKey } = await userWithPasskey();
    const { options } = await signInOptions({ email: user.email });
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([authenticator.id]);
    expect((await passkeyLogin(othersKey, {}, { email: user.email })).statusCode).toBe(400);
    expect((await passkeyLogin(authenticator, {}, { email: user.email })).statusCode).toBe(200);
    // An unknown address gets options too, and nothing can answer them.
    const unknown = await signInOptions({ email: 'nobody@example.com' });
    expect(unknown.options.allowCredentials ?? []).toEqual([]);
    expect((await passkeyLogin(authenticator, {}, { email: 'nobody@example.com' })).statusCode).toBe(400);
  });

  it.each<[string, CeremonyOptions]>([
    ['a wrong origin', { origin: 'http://localhost:9999' }],
    ['a wrong RP ID', { rpId: 'example.com' }],
    ['no user verification', { userVerified: false }],
  ])('refuses a sign-in with %s (400, no session)', async (_, ceremony) => {
    const { user, authenticator } = await userWithPasskey();
    const res = await passkeyLogin(authenticator, ceremony);
    expect(res.statusCode).toBe(400);
    expect(res.json().reason).toBe('PASSKEY_INVALID');
    expect(await t.db.prisma.userSession.count({ where: { userId: user.id, methods: { has: 'passkey' } } })).toBe(0);
  });

  it('an attempt works once and for 5 minutes; an unknown one is refused', async () => {
    const { authenticator } = await userWithPasskey();
    const { attemptId, options } = await signInOptions();
    const first = await rest(t.app, 'POST', '/auth/passkey/login', { body: { attemptId, response: authenticator.assert(options) } });
    expect(first.statusCode).toBe(200);
    const reused = await rest(t.app, 'POST', '/auth/passkey/login', { body: { attemptId, response: authenticator.assert(options) } });
    expect(reused.statusCode).toBe(400);

    const late = await signInOptions();
    await t.db.prisma.passkeyChallenge.update({ where: { id: late.attemptId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await rest(t.app, 'POST', '/auth/passkey/login', {
      body: { attemptId: late.attemptId, response: authenticator.assert(late.options) },
    });
    expect(expired.statusCode).toBe(400);
    const unknown = await rest(t.app, 'POST', '/auth/passkey/login', {
      body: { attemptId: '00000000-0000-4000-8000-000000000000', response: authenticator.assert(late.options) },
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('two concurrent answers to one attempt make exactly one session', async () => {
    const { user, authenticator } = await userWithPasskey();
    const { attemptId, options } = await signInOptions();
    const a = authenticator.assert(options);
    const b = authenticator.assert(options);
    const results = await Promise.all(
      [a, b].map((response) => rest(t.app, 'POST', '/auth/passkey/login', { body: { attemptId, response } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect(await t.db.prisma.userSession.count({ where: { userId: user.id, methods: { has: 'passkey' } } })).toBe(1);
  });

  it('a signature counter that goes backwards is refused and audited', async () => {
    const { user, authenticator } = await userWithPasskey();
    expect((await passkeyLogin(authenticator, { counter: 5 })).statusCode).toBe(200);
    const back = await passkeyLogin(authenticator, { counter: 3 });
    expect(back.statusCode).toBe(400);
    expect(back.json().reason).toBe('PASSKEY_COUNTER_REGRESSION');
    const same = await passkeyLogin(authenticator, { counter: 5 });
    expect(same.statusCode).toBe(400);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'passkey.counter_regression', targetId: user.id } })).toBe(2);
    expect((await t.db.prisma.passkey.findUniqueOrThrow({ where: { credentialId: authenticator.id } })).counter).toBe(5n);
    expect(await t.db.prisma.userSession.count({ where: { userId: user.id, methods: { has: 'passkey' } } })).toBe(1);
  });

  it('a deactivated account cannot sign in with its passkey', async () => {
    const { user, authenticator } = await userWithPasskey();
    await t.db.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    expect((await passkeyLogin(authenticator)).statusCode).toBe(401);
  });

  it('bad input names the field', async () => {
    const res = await rest(t.app, 'POST', '/auth/passkey/login', { body: { attemptId: 'nope', response: {} } });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((issue: { path: string[] }) => issue.path[0])).toContain('attemptId');
    const both = await rest(t.app, 'POST', '/auth/passkey/options', { body: { email: 'a@example.com', mfaToken: 'x' } });
    expect(both.statusCode).toBe(400);
    expect(both.json().issues[0].path).toEqual(['mfaToken']);
  });
});

describe('auth.mfa.verify with a passkey: the second step', () => {
  it('a password sign-in of an account with a passkey asks for it; the passkey completes it', async () => {
    const { user, authenticator } = await userWithPasskey();
    const login = await rest(t.app, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.json()).toMatchObject({ mfaRequired: true, methods: ['passkey'] });
    const mfaToken = login.json().mfaToken;
    const { attemptId, options } = await signInOptions({ mfaToken });
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([authenticator.id]);
    // Not a sign-in of its own: auth.passkey.login refuses a second-step attempt.
    const direct = await rest(t.app, 'POST', '/auth/passkey/login', { body: { attemptId, response: authenticator.assert(options) } });
    expect(direct.statusCode).toBe(400);

    const second = await signInOptions({ mfaToken });
    const res = await rest(t.app, 'POST', '/auth/mfa/verify', {
      body: { mfaToken, passkey: { attemptId: second.attemptId, response: authenticator.assert(second.options) } },
    });
    expect(res.statusCode).toBe(200);
    const session = await t.db.prisma.userSession.findFirstOrThrow({ where: { userId: user.id, methods: { has: 'passkey' } } });
    expect(session.methods).toEqual(['password', 'passkey']);
    // The token is used up.
    const third = await rest(t.app, 'POST', '/auth/passkey/options', { body: { mfaToken } });
    expect(third.statusCode).toBe(401);
  });

  it("refuses another user's passkey, and an attempt made for another mfaToken", async () => {
    const { user } = await userWithPasskey();
    const { authenticator: othersKey } = await userWithPasskey();
    const mfaToken = await firstStep(t.app, user);
    const attempt = await signInOptions({ mfaToken });
    const foreign = await rest(t.app, 'POST', '/auth/mfa/verify', {
      body: { mfaToken, passkey: { attemptId: attempt.attemptId, response: othersKey.assert(attempt.options) } },
    });
    expect(foreign.statusCode).toBe(400);
    const otherToken = await firstStep(t.app, user);
    const mismatched = await signInOptions({ mfaToken: otherToken });
    const res = await rest(t.app, 'POST', '/auth/mfa/verify', {
      body: { mfaToken, passkey: { attemptId: mismatched.attemptId, response: othersKey.assert(mismatched.options) } },
    });
    expect(res.statusCode).toBe(400);
    expect(await t.db.prisma.userSession.count({ where: { userId: user.id, methods: { has: 'passkey' } } })).toBe(0);
  });
});

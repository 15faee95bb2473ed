import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let alice: SignedIn;
let bob: SignedIn;
const cases: [name: string, authorization: () => Promise<string | undefined>][] = [];

const claimsOf = (user: SignedIn) => ({ sub: user.id, sid: user.sessionId });
const signOptions = () => ({ issuer: t.config.jwtIssuer, audience: t.config.jwtAudience, expiresIn: 600 });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  t = await createTestApp();
  alice = await createSignedInUser(t.db.prisma, t.config);
  bob = await createSignedInUser(t.db.prisma, t.config);
});
afterAll(() => t.close());

const { privateKey: rsaKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = () => Math.floor(Date.now() / 1000);

cases.push(
  ['no Authorization header', async () => undefined],
  ['an empty bearer', async () => 'Bearer '],
  ['another scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
  ['a malformed token', async () => 'Bearer not.a.jwt'],
  ['garbage characters', async () => 'Bearer {"sub":"x"}'],
  ['a lower-case scheme with a doubled space', async () => `bearer  ${alice.accessToken}`],
  [
    'alg: none',
    async () =>
      `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claimsOf(alice), iss: t.config.jwtIssuer, aud: t.config.jwtAudience, iat: now(), exp: now() + 600 })}.`,
  ],
  [
    'HS512 with the right secret',
    async () => `Bearer ${jwt.sign(claimsOf(alice), TEST_JWT_SECRET, { ...signOptions(), algorithm: 'HS512' })}`,
  ],
  ['RS256', async () => `Bearer ${jwt.sign(claimsOf(alice), rsaKey, { ...signOptions(), algorithm: 'RS256' })}`],
  [
    'HS256 with a wrong key',
    async () =>
      `Bearer ${jwt.sign(claimsOf(alice), 'another-secret-that-is-long-enough-012345', { ...signOptions(), algorithm: 'HS256' })}`,
  ],
  [
    'an expired token',
    async () =>
      `Bearer ${jwt.sign({ ...claimsOf(alice), iat: now() - 3600, exp: now() - 60 }, TEST_JWT_SECRET, {
        issuer: t.config.jwtIssuer,
        audience: t.config.jwtAudience,
        algorithm: 'HS256',
      })}`,
  ],
  ['a wrong iss', async () => `Bearer ${jwt.sign(claimsOf(alice), TEST_JWT_SECRET, { ...signOptions(), issuer: 'someone-else' })}`],
  ['a wrong aud', async () => `Bearer ${jwt.sign(claimsOf(alice), TEST_JWT_SECRET, { ...signOptions(), audience: 'another-api' })}`],
  ['no sid claim', async () => `Bearer ${jwt.sign({ sub: alice.id }, TEST_JWT_SECRET, signOptions())}`],
  [
    'a sub that is not a UUID',
    async () => `Bearer ${jwt.sign({ sub: "1' OR '1'='1", sid: alice.sessionId }, TEST_JWT_SECRET, signOptions())}`,
  ],
  [
    'a session id that does not exist',
    async () => `Bearer ${jwt.sign({ sub: alice.id, sid: randomUUID() }, TEST_JWT_SECRET, signOptions())}`,
  ],
  [
    "someone else's session id, correctly signed",
    async () => `Bearer ${jwt.sign({ sub: alice.id, sid: bob.sessionId }, TEST_JWT_SECRET, signOptions())}`,
  ],
  [
    'a tampered payload (sub changed, signature kept)',
    async () => {
      const [header, , signature] = alice.accessToken.split('.');
      const payload = JSON.parse(Buffer.from(alice.accessToken.split('.')[1] ?? '', 'base64url').toString());
      return `Bearer ${header}.${b64({ ...payload, sub: bob.id, sid: bob.sessionId })}.${signature}`;
    },
  ],
  [
    'a revoked session',
    async () => {
      const user = await createSignedInUser(t.db.prisma, t.config);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: user.headers });
      expect(res.statusCode).toBe(204);
      return user.headers.authorization;
    },
  ],
  [
    'a deactivated user',
    async () => {
      const user = await createSignedInUser(t.db.prisma, t.config);
      await t.db.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
      return user.headers.authorization;
    },
  ],
);

describe('every bad access token answers 401, never 500', () => {
  it('a good token is accepted (control)', async () => {
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: alice.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/trpc/me.get', headers: alice.headers })).statusCode).toBe(200);
  });

  it('a correctly signed token naming its user and session in upper case is the same token (uuids ignore case)', async () => {
    const token = jwt.sign({ sub: alice.id.toUpperCase(), sid: alice.sessionId.toUpperCase() }, TEST_JWT_SECRET, signOptions());
    const res = await t.app.inject({ url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(alice.id);
  });

  it.each(cases)('%s', async (_name, makeAuthorization) => {
    const authorization = await makeAuthorization();
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };

    const restRes = await t.app.inject({ url: '/api/v1/users/me', headers });
    expect(restRes.statusCode).toBe(401);
    expect(restRes.json()).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });

    const trpcRes = await t.app.inject({ url: '/trpc/me.get', headers });
    expect(trpcRes.statusCode).toBe(401);
    expect(trpcRes.json().error.data.code).toBe('UNAUTHORIZED');

    const mutation = await t.app.inject({
      method: 'POST',
      url: '/trpc/auth.logoutAll',
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(mutation.statusCode).toBe(401);
    // The real owner is unaffected by anything done with a forged token.
    expect(await t.db.prisma.userSession.count({ where: { id: alice.sessionId, revokedAt: null } })).toBe(1);
  });
});

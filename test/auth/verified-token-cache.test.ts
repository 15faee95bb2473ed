import { randomUUID } from 'node:crypto';
import { createTokenService } from '@ums/server/src/modules/auth/tokens.ts';
import { describe, expect, it } from 'vitest';

// Verified access tokens are remembered until they expire; what is remembered must never outlive the token or
// vouch for another text.

const config = {
  jwtSecret: Buffer.from('a test secret that is long enough for HS256 to be honest'),
  jwtIssuer: 'user-management-service',
  jwtAudience: 'user-management-api',
};
const claims = () => ({ userId: randomUUID(), sessionId: randomUUID() });

describe('the verified-token cache', () => {
  it('answers a token it verified with the same claims, and refuses it once it has expired', async () => {
    const tokens = createTokenService({ ...config, accessTokenTtlSeconds: 1 });
    const who = claims();
    const token = tokens.signAccessToken(who);
    expect(tokens.verifyAccessToken(token)).toEqual(who);
    expect(tokens.verifyAccessToken(token)).toEqual(who);
    await new Promise((done) => setTimeout(done, 1_100));
    expect(tokens.verifyAccessToken(token)).toBeNull();
  });

  it('vouches only for the exact text: a verified token with another signature or payload is refused', () => {
    const tokens = createTokenService({ ...config, accessTokenTtlSeconds: 900 });
    const token = tokens.signAccessToken(claims());
    expect(tokens.verifyAccessToken(token)).not.toBeNull();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
    expect(tokens.verifyAccessToken(`${header}.${payload}.${flipped}`)).toBeNull();
    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: randomUUID() }));
    expect(tokens.verifyAccessToken(`${header}.${otherPayload.toString('base64url')}.${signature}`)).toBeNull();
  });

  it('is per secret: a token verified under one secret is refused by a service with another', () => {
    const first = createTokenService({ ...config, accessTokenTtlSeconds: 900 });
    const second = createTokenService({
      ...config,
      jwtSecret: Buffer.from('another secret, as after a rotation of the first one'),
      accessTokenTtlSeconds: 900,
    });
    const token = first.signAccessToken(claims());
    expect(first.verifyAccessToken(token)).not.toBeNull();
    expect(second.verifyAccessToken(token)).toBeNull();
  });

  it('hands out claims nobody can change for the next request', () => {
    const tokens = createTokenService({ ...config, accessTokenTtlSeconds: 900 });
    const who = claims();
    const token = tokens.signAccessToken(who);
    const seen = tokens.verifyAccessToken(token);
    expect(Object.isFrozen(seen)).toBe(true);
    expect(tokens.verifyAccessToken(token)).toEqual(who);
  });
});

import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import type { ServerConfig } from '../../config.ts';

const ALGORITHM = 'HS256';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Verified access tokens remembered at most: ~0.5 KB each. */
const VERIFIED_TOKENS_KEPT = 10_000;

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

export interface TokenService {
  readonly accessTokenTtlSeconds: number;
  /** `ttlSeconds` shortens nothing by default: the configured lifetime (an impersonation session names its own). */
  signAccessToken(claims: AccessClaims, ttlSeconds?: number): string;
  /** The claims of a valid token, or null for any token that is not (bad signature, algorithm, iss, aud, exp, shape). */
  verifyAccessToken(token: string): AccessClaims | null;
}

export function createTokenService(
  config: Pick<ServerConfig, 'jwtSecret' | 'jwtIssuer' | 'jwtAudience' | 'accessTokenTtlSeconds'>,
): TokenService {
  // A KeyObject made once: with a plain string jsonwebtoken re-derives the key on every call.
  const key: KeyObject = createSecretKey(config.jwtSecret);
  const signOptions: jwt.SignOptions = {
    algorithm: ALGORITHM,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    expiresIn: config.accessTokenTtlSeconds,
  };
  const verifyOptions: jwt.VerifyOptions & { complete?: false } = {
    algorithms: [ALGORITHM],
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
  };
  // A client sends the same access token with every request of its lifetime: tokens that passed every check are kept,
  // by their exact text, until their own expiry. The session behind one is still checked on every request.
  const verified = new LRUCache<string, AccessClaims>({ max: VERIFIED_TOKENS_KEPT });
  return {
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    signAccessToken: ({ userId, sessionId }, ttlSeconds) =>
      jwt.sign({ sid: sessionId }, key, {
        ...signOptions,
        subject: userId,
        ...(ttlSeconds === undefined ? {} : { expiresIn: ttlSeconds }),
      }),
    verifyAccessToken(token) {
      const known = verified.get(token);
      if (known) return known;
      let payload: string | jwt.JwtPayload;
      try {
        payload = jwt.verify(token, key, verifyOptions);
      } catch {
        return null;
      }
      if (typeof payload !== 'object' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      if (!UUID.test(payload.sub) || !UUID.test(payload.sid)) return null;
      const claims = Object.freeze({ userId: payload.sub, sessionId: payload.sid });
      const lifetimeMs = typeof payload.exp === 'number' ? payload.exp * 1000 - Date.now() : 0;
      if (lifetimeMs > 0) verified.set(token, claims, { ttl: lifetimeMs });
      return claims;
    },
  };
}

/** An opaque refresh token: 256 random bits. Only its hash is stored. */
export const newRefreshToken = () => randomBytes(32).toString('base64url');

/** SHA-256 suffices: the token is random, so there is nothing to brute-force. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

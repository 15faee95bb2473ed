import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { ServerConfig } from '../config.ts';

const ALGORITHM = 'HS256';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

export interface TokenService {
  readonly accessTokenTtlSeconds: number;
  signAccessToken(claims: AccessClaims): string;
  /** The claims of a valid token, or null for any token that is not (bad signature, algorithm, iss, aud, exp, shape). */
  verifyAccessToken(token: string): AccessClaims | null;
}

export function createTokenService(
  config: Pick<ServerConfig, 'jwtSecret' | 'jwtIssuer' | 'jwtAudience' | 'accessTokenTtlSeconds'>,
): TokenService {
  // A KeyObject made once: with a plain string jsonwebtoken re-derives the key on every call (~40x slower).
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
  return {
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    signAccessToken: ({ userId, sessionId }) => jwt.sign({ sid: sessionId }, key, { ...signOptions, subject: userId }),
    verifyAccessToken(token) {
      let payload: string | jwt.JwtPayload;
      try {
        payload = jwt.verify(token, key, verifyOptions);
      } catch {
        return null;
      }
      if (typeof payload !== 'object' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      if (!UUID.test(payload.sub) || !UUID.test(payload.sid)) return null;
      return { userId: payload.sub, sessionId: payload.sid };
    },
  };
}

/** An opaque refresh token: 256 random bits. Only its hash is stored. */
export const newRefreshToken = () => randomBytes(32).toString('base64url');

/** SHA-256 suffices: the token is random, so there is nothing to brute-force. */
export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

import type { TAuthMethod, TTokens } from '@ums/contract';
import { type DbHandle, insertSession } from '@ums/db';
import { hashRefreshToken, newRefreshToken } from '../auth/tokens.ts';
import type { ServiceDeps } from '../service-deps.ts';

export interface SessionStart extends TTokens {
  sessionId: string;
}

/**
 * A new session for a user who just proved who they are (sign-up or sign-in), inside the caller's transaction:
 * the session row (with the factors it was proven with, as of now), the first refresh token of its family, and the token pair.
 */
export async function startSession(
  { tokens, config, actor }: Pick<ServiceDeps, 'tokens' | 'config' | 'actor'>,
  { tx, userId, methods }: { tx: DbHandle; userId: string; methods: TAuthMethod[] },
): Promise<SessionStart> {
  const refreshToken = newRefreshToken();
  const sessionId = await insertSession(tx, {
    userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    expiresAt: new Date(Date.now() + config.refreshTokenTtlSeconds * 1000),
    refreshTokenHash: hashRefreshToken(refreshToken),
    methods,
  });
  return {
    sessionId,
    accessToken: tokens.signAccessToken({ userId, sessionId }),
    refreshToken,
    expiresIn: tokens.accessTokenTtlSeconds,
  };
}

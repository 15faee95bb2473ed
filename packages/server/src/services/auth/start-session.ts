import type { TTokens } from '@ums/contract';
import type { TokenService } from '../../auth/tokens.ts';
import type { AuditActor } from '../audit.ts';
import { createSession, type Tx } from '../sessions.ts';

export interface SessionStart extends TTokens {
  sessionId: string;
}

/** A new session for a user who just proved who they are (sign-up or sign-in), with its first token pair. */
export async function startSession(
  tx: Tx,
  { userId, actor, tokens, refreshTtlSeconds }: { userId: string; actor: AuditActor; tokens: TokenService; refreshTtlSeconds: number },
): Promise<SessionStart> {
  const { sessionId, refreshToken } = await createSession(tx, {
    userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    ttlSeconds: refreshTtlSeconds,
  });
  return {
    sessionId,
    accessToken: tokens.signAccessToken({ userId, sessionId }),
    refreshToken,
    expiresIn: tokens.accessTokenTtlSeconds,
  };
}

import type { Permission, TUser } from '@ums/contract';
import type { PrismaClient, SqlClient } from '@ums/db';
import type { FastifyRequest } from 'fastify';
import type { TokenService } from '../auth/tokens.ts';
import type { ServerConfig } from '../config.ts';
import type { AppServices } from '../services/app-services.ts';
import type { AuditActor } from '../services/audit.ts';
import type { AuthRateLimitDecision, AuthRateLimiter } from './auth-rate-limit.ts';

export interface RequestInfo {
  id: string;
  ip: string | null;
  userAgent: string | null;
  authorization: string | undefined;
}

export interface Context {
  db: PrismaClient;
  /** Raw SQL without Prisma's per-call work, for the hottest statements (see @ums/db). */
  sql: SqlClient;
  config: ServerConfig;
  tokens: TokenService;
  services: AppServices;
  request: RequestInfo;
  /** Counts this request against its address's auth budget (auth-rate-limit.ts); null when the limit is off. */
  authRateLimit: (() => Promise<AuthRateLimitDecision | null>) | null;
}

/** What the auth middleware proves about the caller, once per request. */
export interface AuthState {
  userId: string;
  sessionId: string;
  /** The caller's profile as read with the session, at the start of this request. */
  user: TUser;
  permissions: ReadonlySet<Permission>;
}

export interface AuthedContext extends Context {
  auth: AuthState;
  /** The caller as the audit trail records them. */
  actor: AuditActor;
}

export interface ContextDeps {
  db: PrismaClient;
  sql: SqlClient;
  config: ServerConfig;
  tokens: TokenService;
  services: AppServices;
  authRateLimiter: AuthRateLimiter | null;
}

/** Cheap on purpose: the session is resolved by the auth middleware, only for procedures that need it. */
export function createContextFactory({ authRateLimiter, ...deps }: ContextDeps) {
  return ({ req }: { req: FastifyRequest }): Context => ({
    ...deps,
    authRateLimit: authRateLimiter && (() => authRateLimiter(req)),
    request: {
      id: String(req.id),
      ip: req.ip ?? null,
      userAgent: truncate(req.headers['user-agent'], 512),
      authorization: typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined,
    },
  });
}

const truncate = (value: string | undefined, max: number) => (value === undefined ? null : value.slice(0, max));

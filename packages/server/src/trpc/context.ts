import type { FastifyRequest } from 'fastify';
import { noteRequestUser } from '../http/request-user.ts';
import type { AuditActor } from '../modules/audit/record-audit.ts';
import type { ServiceDeps } from '../modules/service-deps.ts';
import type { AuthState } from '../modules/sessions/authenticate.ts';
import type { AuthRateLimitDecision, AuthRateLimiter } from './auth-rate-limit.ts';

export interface RequestInfo {
  id: string;
  ip: string | null;
  userAgent: string | null;
  authorization: string | undefined;
  /** Records who the request proved to be, for its access log line. */
  signedInAs: (userId: string) => void;
}

/** What every procedure gets: the app's long-lived parts and this request. It satisfies every service's deps. */
export interface Context extends ServiceDeps {
  request: RequestInfo;
  /** Counts this request against its address's auth budget (auth-rate-limit.ts); null when the limit is off. */
  authRateLimit: (() => Promise<AuthRateLimitDecision | null>) | null;
}

/** What the auth middleware adds once it has proven who is calling. */
export interface AuthedContext extends Context {
  auth: AuthState;
}

export interface AppDeps extends Omit<ServiceDeps, 'actor'> {
  authRateLimiter: AuthRateLimiter | null;
}

/** Cheap on purpose: the session is resolved by the auth middleware, only for procedures that need it. */
export function createContextFactory({ authRateLimiter, ...deps }: AppDeps) {
  return ({ req }: { req: FastifyRequest }): Context => {
    const request: RequestInfo = {
      id: String(req.id),
      ip: req.ip ?? null,
      userAgent: truncate(req.headers['user-agent'], 512),
      authorization: typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined,
      signedInAs: (userId) => noteRequestUser(req, userId),
    };
    return { ...deps, request, actor: anonymousActor(request), authRateLimit: authRateLimiter && (() => authRateLimiter(req)) };
  };
}

/** Nobody signed in yet, from this address: the actor of public procedures until they prove who is calling. */
const anonymousActor = ({ id, ip, userAgent }: RequestInfo): AuditActor => ({ actorId: null, ip, userAgent, requestId: id });

const truncate = (value: string | undefined, max: number) => (value === undefined ? null : value.slice(0, max));

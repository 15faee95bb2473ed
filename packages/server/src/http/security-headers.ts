import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * helmet's security headers on every response. Its middleware is built once here: @fastify/helmet rebuilds it
 * (parsing every option and CSP directive) for each request, which cost ~3 % of a `GET /users/me` in a profile.
 * No upgrade-insecure-requests: behind plain HTTP on a LAN host it would break the admin console's assets.
 */
export function registerSecurityHeaders(app: FastifyInstance) {
  const applyHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  app.addHook('onRequest', (request, reply, done) =>
    applyHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)),
  );
}

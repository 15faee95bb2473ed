import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

// No upgrade-insecure-requests: behind plain HTTP on a LAN host it would break the admin console's assets.
const HELMET_OPTIONS = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } } as const;

/**
 * App-wide: helmet's security headers on every response, error responses included. With these options they depend
 * on nothing in the request, so they are worked out once at start: running helmet per request was measurable.
 */
export function registerSecurityHeaders(app: FastifyInstance) {
  const headers = helmetHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/** The headers helmet sets (minus those it removes), read by running its middleware once against a recorder. */
function helmetHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // helmet's middlewares call next() synchronously; if a future version did not, the headers would be incomplete.
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return Object.freeze(headers);
}

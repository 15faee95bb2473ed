import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestUserOf } from './request-user.ts';

/**
 * One line per request, written when it is answered: method, route template (never the raw URL: no ids or query
 * strings), status, duration, request id and user. Instead of Fastify's two lines
 * (`disableRequestLogging` in app.ts), which cost twice the serialising and carry less.
 */
export function registerAccessLog(app: FastifyInstance, routeLabel: (request: FastifyRequest, url: string) => string): void {
  // At debug, also a line as each request arrives (what is in flight when a process stops); no hook otherwise.
  if (app.log.level === 'debug' || app.log.level === 'trace') {
    app.addHook('onRequest', (request, _reply, done) => {
      request.log.debug({ method: request.method, url: request.url.split('?')[0] }, 'incoming request');
      done();
    });
  }
  // The line's fields are fixed and none can hold a secret (no header, body or query string), so it is written
  // through a child without pino's redaction pass, which was three quarters of the cost of writing it
  // (docs/benchmarks.md, issue 23). Every other line keeps the redaction (app.ts).
  const accessLog = app.log.child({}, { redact: [] });
  // Callback-style: an async hook costs a promise and a microtask on every request.
  app.addHook('onResponse', (request, reply, done) => {
    accessLog.info(
      {
        reqId: request.id,
        method: request.method,
        route: routeLabel(request, request.originalUrl),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        userId: requestUserOf(request),
      },
      'request',
    );
    done();
  });
}

import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Lifecycle } from './lifecycle.ts';

const MAX_LISTED_REQUESTS = 20;

/**
 * Lets a shutdown end while keep-alive clients stay connected. Fastify's close() stops accepting and closes the
 * sockets idle at that moment; a response finished later would still say `Connection: keep-alive`, and the server
 * would wait for the client to hang up. While draining, every response says `Connection: close` (Node then ends
 * the socket after it), and a socket that goes idle anyway is closed at once.
 */
export function registerHttpDrain(app: FastifyInstance, lifecycle: Lifecycle): void {
  // By request, not by id: a caller's x-request-id is kept, and two requests may carry the same one.
  const inFlight = new Map<FastifyRequest, { method: string; url: string; startedAt: number }>();
  const sockets = new Set<Socket>();

  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Callback-style hooks: an async hook costs a promise and a microtask on every request.
  app.addHook('onRequest', (request, _reply, done) => {
    inFlight.set(request, { method: request.method, url: request.url.split('?')[0] ?? '', startedAt: Date.now() });
    done();
  });
  app.addHook('onSend', (_request, reply, _payload, done) => {
    if (lifecycle.draining) reply.header('connection', 'close');
    done();
  });
  const finished = (request: FastifyRequest) => {
    inFlight.delete(request);
    if (lifecycle.draining) app.server.closeIdleConnections();
  };
  app.addHook('onResponse', (request, _reply, done) => {
    finished(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    finished(request);
    done();
  });
  // Runs inside app.close(), before Fastify stops listening and closes the idle sockets.
  app.addHook('preClose', (done) => {
    lifecycle.beginDrain();
    done();
  });

  lifecycle.trackOpenWork('requestsInFlight', () =>
    [...inFlight.entries()].slice(0, MAX_LISTED_REQUESTS).map(([request, seen]) => ({
      id: request.id,
      method: seen.method,
      url: seen.url,
      ms: Date.now() - seen.startedAt,
    })),
  );
  lifecycle.trackOpenWork('connectionsOpen', () => sockets.size);
}

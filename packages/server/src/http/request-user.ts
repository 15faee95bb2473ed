import type { FastifyRequest } from 'fastify';

// Who a request proved to be, once the auth middleware has checked its session: for the access log line.
const users = new WeakMap<FastifyRequest, string>();

export const noteRequestUser = (request: FastifyRequest, userId: string): void => void users.set(request, userId);

/** The signed-in user of the request, or undefined: not signed in, refused, or a route without a session check. */
export const requestUserOf = (request: FastifyRequest): string | undefined => users.get(request);

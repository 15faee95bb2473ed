import type { TIssue } from '@ums/contract';
import type { FastifyError, FastifyInstance } from 'fastify';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'BAD_REQUEST',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  431: 'BAD_REQUEST',
  503: 'SERVICE_UNAVAILABLE',
};

/** App-wide: errors raised by Fastify itself (bad JSON, body too large, unknown route) get the contract's JSON error shape. */
export function registerErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ code: CODE_BY_STATUS[status] ?? 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
    }
    const message = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'Malformed JSON body' : error.message;
    // The JSON parser's input guard names the field; other Fastify errors concern the request as a whole.
    const issues = (error as FastifyError & { issues?: TIssue[] }).issues ?? [];
    return reply.code(status).send({ code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', message, issues });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` }),
  );
}

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TRPCError } from '@trpc/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fastifyTRPCOpenApiPlugin, generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import type { AppRouter } from '../app-router.ts';
import type { Context } from '../trpc/context.ts';
import { completeOpenApiDocument } from './openapi-document.ts';
import { createRestResponseMeta, successStatusByPath } from './response-meta.ts';

export const REST_PREFIX = '/api/v1';

export function buildOpenApiDocument(router: AppRouter): OpenAPIObject {
  const document = generateOpenApiDocument(router, {
    title: 'User management service',
    description: 'Accounts, sign-in, roles and permissions, profiles, preferences, settings and the audit trail.',
    version: '1.0.0',
    baseUrl: REST_PREFIX,
    docsUrl: '/docs',
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  });
  // trpc-to-openapi names each operation after its procedure path, dots turned into dashes.
  const successStatusByOperationId = new Map([...successStatusByPath(router)].map(([path, status]) => [path.replaceAll('.', '-'), status]));
  return completeOpenApiDocument(document, successStatusByOperationId);
}

/** The same procedures as REST under /api/v1, the OpenAPI document beside them and interactive docs at /docs. */
export async function registerRest(app: FastifyInstance, router: AppRouter, createContext: (opts: { req: FastifyRequest }) => Context) {
  const document = buildOpenApiDocument(router);
  app.get(`${REST_PREFIX}/openapi.json`, async () => document);

  // REST callers may send a bodyless POST/PUT/DELETE without a content type; treat it as an empty JSON body.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.method !== 'GET' && request.url.startsWith(`${REST_PREFIX}/`) && !request.headers['content-type']) {
      const length = request.headers['content-length'];
      if (length === undefined || length === '0') request.headers['content-type'] = 'application/json';
    }
    done();
  });

  await app.register(async (scope) => {
    await scope.register(fastifyTRPCOpenApiPlugin, {
      basePath: REST_PREFIX,
      router,
      createContext,
      responseMeta: createRestResponseMeta(router),
      onError: ({ error, req }: { error: TRPCError; req: unknown }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') (req as FastifyRequest).log.error({ err: error.cause ?? error }, 'procedure failed');
      },
    });
  });

  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fastifyTRPCOpenApiPlugin, generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import type { AppRouter } from '../app-router.ts';
import { API_TITLE } from '../openapi/api-overview.ts';
import type { Context } from '../trpc/context.ts';
import { createRestResponseMeta } from '../trpc/response-meta.ts';
import { registerExportRoutes } from './export-route.ts';
import { completeOpenApiDocument, documentedStatusesByProcedure } from './openapi-document.ts';

export const REST_PREFIX = '/api/v1';
export const DOCS_PREFIX = '/docs';
export const UNDOCUMENTED_STATUS = 'REST answer with a status the document does not list';

/** The REST document, built from the router alone (no server needed); `publicUrl` makes its server URL absolute. */
export function buildOpenApiDocument(router: AppRouter, publicUrl: string): OpenAPIObject {
  const document = generateOpenApiDocument(router, {
    title: API_TITLE,
    version: '1.0.0',
    baseUrl: REST_PREFIX,
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `accessToken` of `POST /auth/login`' },
    },
  });
  return completeOpenApiDocument(document, router, `${publicUrl}${REST_PREFIX}`);
}

/** The same procedures as REST under /api/v1 with the OpenAPI document beside them, and interactive docs at /docs. */
export async function registerRestEndpoint(
  app: FastifyInstance,
  router: AppRouter,
  createContext: (opts: { req: FastifyRequest }) => Context,
  publicUrl: string,
) {
  const document = buildOpenApiDocument(router, publicUrl);
  const documentedStatuses = documentedStatusesByProcedure(document);
  const reportError = ({ log }: FastifyRequest, path: string | undefined, error: TRPCError) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.cause ?? error }, 'procedure failed');
    // The document lists exactly what each operation can answer: an answer outside it is a gap in the docs
    // (the tests fail on this line, test/support/app.ts).
    const status = getHTTPStatusCodeFromError(error);
    const listed = path ? documentedStatuses.get(path) : undefined;
    if (listed && !listed.has(status)) log.warn({ procedure: path, status }, UNDOCUMENTED_STATUS);
  };

  await app.register(
    async (scope) => {
      scope.addHook('onRequest', (request, _reply, done) => {
        // The adapter rewrites the raw URL while it handles a call: read originalUrl (metrics label by it) first.
        void request.originalUrl;
        // REST callers may send a bodyless POST/PUT/DELETE without a content type; treat it as an empty JSON body.
        if (request.method !== 'GET' && !request.headers['content-type']) {
          const length = request.headers['content-length'];
          if (length === undefined || length === '0') request.headers['content-type'] = 'application/json';
        }
        done();
      });
      scope.get('/openapi.json', async () => document);
      await scope.register(fastifyTRPCOpenApiPlugin, {
        router,
        createContext,
        responseMeta: createRestResponseMeta(router),
        onError: ({ error, path, req }: { error: TRPCError; path?: string; req: unknown }) =>
          reportError(req as FastifyRequest, path, error),
      });
      registerExportRoutes(scope, { createContext, reportError });
    },
    { prefix: REST_PREFIX },
  );

  // swagger-ui takes /docs as its own routePrefix: under a Fastify prefix its index route (and label) would be /docs/.
  await app.register(async (scope) => {
    await scope.register(swagger, { mode: 'static', specification: { document: document as never } });
    await scope.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });
  });
}

import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppRouter } from '../app-router.ts';
import type { Context } from '../trpc/context.ts';
import { trpcResponseMeta } from '../trpc/response-meta.ts';

export const TRPC_PREFIX = '/trpc';

/** The procedures over tRPC at /trpc, batching on (the adapter's plugin is encapsulated under its prefix). */
export async function registerTrpcEndpoint(
  app: FastifyInstance,
  router: AppRouter,
  createContext: (opts: { req: FastifyRequest }) => Context,
) {
  await app.register(fastifyTRPCPlugin, {
    prefix: TRPC_PREFIX,
    trpcOptions: {
      router,
      createContext,
      responseMeta: trpcResponseMeta,
      onError: ({ error, req }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error.cause ?? error }, 'procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
}

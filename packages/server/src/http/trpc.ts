import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppRouter } from '../app-router.ts';
import type { Context } from '../trpc/context.ts';
import { trpcResponseMeta } from './response-meta.ts';

export async function registerTrpc(app: FastifyInstance, router: AppRouter, createContext: (opts: { req: FastifyRequest }) => Context) {
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
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

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const ADMIN_PREFIX = '/admin';

/** Where `pnpm --filter @ums/admin build` writes the console (a path only: no code of the app is imported). */
export const DEFAULT_ADMIN_ROOT = fileURLToPath(new URL('../../../../apps/admin/dist', import.meta.url));

// Built file names carry a content hash, so they never change; index.html must always be asked for again.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The admin console at /admin: its built files, and index.html for every other path below it so the console's
 * own routes (/admin/users/…) survive a reload. The build has no inline script, so helmet's default CSP holds.
 */
export async function registerAdminConsole(app: FastifyInstance, { root = DEFAULT_ADMIN_ROOT }: { root?: string } = {}) {
  await app.register(
    async (scope) => {
      if (!existsSync(join(root, 'index.html'))) {
        const notBuilt = async (_request: FastifyRequest, reply: FastifyReply) =>
          reply.code(404).send({ code: 'NOT_FOUND', message: 'The admin console is not built: run `pnpm --filter @ums/admin build`' });
        scope.get('/', notBuilt);
        scope.get('/*', notBuilt);
        return;
      }
      await scope.register(fastifyStatic, {
        root,
        prefix: '/',
        index: false,
        setHeaders: (reply, path) => {
          reply.header('cache-control', path.startsWith(join(root, 'assets')) ? IMMUTABLE : REVALIDATE);
        },
      });
      const sendIndex = (_request: FastifyRequest, reply: FastifyReply) =>
        reply.header('cache-control', REVALIDATE).sendFile('index.html', root);
      scope.get('/', sendIndex);
      // A missing asset is a real 404; any other path is one of the console's routes.
      scope.setNotFoundHandler((request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        if ((request.method === 'GET' || request.method === 'HEAD') && !path.startsWith(`${ADMIN_PREFIX}/assets/`)) {
          return sendIndex(request, reply);
        }
        return reply.code(404).send({ code: 'NOT_FOUND', message: `No route ${request.method} ${path}` });
      });
    },
    { prefix: ADMIN_PREFIX },
  );
}

import { type DbHandle, pingDatabase } from '@ums/db';
import type { FastifyInstance } from 'fastify';

const HEALTH_TIMEOUT_MS = 2000;

/** GET /health: 200 when the database answers, 503 when it does not (within 2 s). */
export function registerHealth(app: FastifyInstance, db: DbHandle) {
  app.get('/health', async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        pingDatabase(db),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS);
        }),
      ]);
      return { status: 'ok', db: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'degraded', db: 'down' });
    } finally {
      clearTimeout(timer);
    }
  });
}

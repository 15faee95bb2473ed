import { type DbHandle, pendingMigrations, pingDatabase } from '@ums/db';
import type { FastifyInstance } from 'fastify';
import type { Lifecycle } from '../lifecycle/lifecycle.ts';

/** How long a probe waits for the database before it calls it down. */
const DB_BUDGET_MS = 2000;

function withinBudget<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${DB_BUDGET_MS} ms`)), DB_BUDGET_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Probes for an orchestrator, and the contract's /health:
 * - GET /health/live: the process serves HTTP. Never touches the database, so a slow or stopped database does not
 *   get a healthy instance restarted.
 * - GET /health/ready: send traffic here? 200 when the database answers within its budget, every migration this
 *   build ships is applied, and the process is not draining; 503 otherwise, saying which.
 * - GET /health (API.md): 200 when the database answers within 2 s, 503 `db: "down"` when it does not.
 */
export function registerHealth(app: FastifyInstance, db: DbHandle, lifecycle: Lifecycle) {
  app.get('/health/live', async () => ({ status: 'ok' }));

  // Migrations never un-apply while the process runs: once current, the probe stops asking.
  let migrationsCurrent = false;
  app.get('/health/ready', async (request, reply) => {
    if (lifecycle.draining) return reply.code(503).send({ status: 'draining' });
    try {
      const pending = migrationsCurrent ? [] : await withinBudget(pingDatabase(db).then(() => pendingMigrations(db)));
      if (migrationsCurrent) await withinBudget(pingDatabase(db));
      if (pending.length > 0) return reply.code(503).send({ status: 'not ready', db: 'ok', migrations: 'pending', pending });
      migrationsCurrent = true;
      return { status: 'ready', db: 'ok', migrations: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness: database unreachable');
      return reply.code(503).send({ status: 'not ready', db: 'down' });
    }
  });

  app.get('/health', async (request, reply) => {
    try {
      await withinBudget(pingDatabase(db));
      return { status: 'ok', db: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'degraded', db: 'down' });
    }
  });
}

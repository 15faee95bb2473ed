// The service's entry point: read the configuration once, migrate, seed, listen, and shut down gracefully.
import { applyMigrations, applyMigrationsInChildProcess, createDb } from '@ums/db';
import {
  buildApp,
  ConfigError,
  createLifecycle,
  createLogDestination,
  ensureBootstrapAdmin,
  flushOnCrash,
  loadConfig,
  seedDatabase,
  shutDown,
  watchLauncher,
} from '@ums/server';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  const db = await createDb(config.databaseUrl, { poolSize: config.dbPoolSize, limits: config.dbLimits });
  const lifecycle = createLifecycle();
  // Requests never wait on stdout; what is buffered is written out on every exit, a crash included.
  const logs = createLogDestination(1, { batched: config.logLevel !== 'debug' && config.logLevel !== 'trace' });
  const app = await buildApp(config, { db, lifecycle, logStream: logs.stream });
  flushOnCrash(logs, (error, message) => app.log.fatal({ err: error }, message));
  const applied = db.kind === 'postgres' ? await applyMigrationsInChildProcess(config.databaseUrl) : await applyMigrations(db.adapter);
  if (applied.length > 0) app.log.info({ migrations: applied }, 'applied migrations');
  await seedDatabase({ db });
  const bootstrap = await ensureBootstrapAdmin({ db }, config.bootstrapAdmin);
  if (bootstrap === 'created' || bootstrap === 'promoted')
    app.log.info({ email: config.bootstrapAdmin?.email }, `bootstrap admin ${bootstrap}`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: no new connections, finishing in-flight requests');
    const outcome = await shutDown({ app, lifecycle, closeAfterApp: () => db.close(), timeoutMs: config.shutdownTimeoutMs });
    if (outcome.clean) {
      app.log.info({ ms: outcome.ms }, 'shut down cleanly');
      // The migration engine leaves a timer behind; nothing else is running by now.
      process.exit(0);
    }
    app.log.error(
      { ms: outcome.ms, phase: outcome.phase, open: outcome.open, err: outcome.error },
      outcome.error ? 'shutdown failed' : 'shutdown took too long (SHUTDOWN_TIMEOUT); exiting with work still open',
    );
    process.exit(1);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // `pnpm start` (development): pnpm passes SIGTERM on, but a pnpm that dies without doing so (SIGKILL) leaves the
  // server re-parented; it then drains as if signalled.
  if (process.env.npm_lifecycle_event) watchLauncher(() => void shutdown('launcher exited'));

  await app.listen({ port: config.port, host: config.host });
  const where = config.databaseUrl.startsWith('pglite:') ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL';
  app.log.info(`user management service on http://${config.host}:${config.port} (${where}); REST docs at /docs`);
}

main().catch((error: unknown) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

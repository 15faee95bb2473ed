// The service's entry point: read the configuration once, migrate, seed, listen, and shut down gracefully.
import { applyMigrations, applyMigrationsInChildProcess, createDb } from '@ums/db';
import { buildApp, ConfigError, ensureBootstrapAdmin, loadConfig, seedDatabase } from '@ums/server';

const SHUTDOWN_GRACE_MS = 10_000;

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

  const db = await createDb(config.databaseUrl, { poolSize: config.dbPoolSize });
  const app = await buildApp(config, { db });
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
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const forced = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    await app.close();
    await db.close();
    clearTimeout(forced);
    // The migration engine leaves a timer behind; nothing else is running by now.
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const where = config.databaseUrl.startsWith('pglite:') ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL';
  app.log.info(`user management service on http://${config.host}:${config.port} (${where}); REST docs at /docs`);
}

main().catch((error: unknown) => {
  console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

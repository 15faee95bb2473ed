export { type BuildAppOptions, buildApp } from './app.ts';
export { type AppRouter, appRouter, type RouterInputs, type RouterOutputs } from './app-router.ts';
export { ConfigError, loadConfig, type ServerConfig } from './config.ts';
export { buildOpenApiDocument, UNDOCUMENTED_STATUS } from './http/rest-endpoint.ts';
export { createLifecycle, type Lifecycle, type ShutdownOutcome, shutDown, watchLauncher } from './lifecycle/index.ts';
export { createLogDestination, flushOnCrash, type LogDestination } from './logging/log-destination.ts';
export { ensureBootstrapAdmin } from './seed/ensure-bootstrap-admin.ts';
export { seedDatabase } from './seed/seed-database.ts';

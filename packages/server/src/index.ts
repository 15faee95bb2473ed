export { type BuildAppOptions, buildApp } from './app.ts';
export { ConfigError, loadConfig, type ServerConfig } from './config.ts';
export { buildOpenApiDocument } from './http/rest-endpoint.ts';
export { type AppRouter, appRouter, type RouterInputs, type RouterOutputs } from './routers/index.ts';
export { ensureBootstrapAdmin, seedDatabase } from './services/seed.ts';

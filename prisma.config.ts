import { defineConfig } from 'prisma/config';

// Only `prisma generate` runs from the CLI: migrations go through the WebAssembly schema engine
// (packages/db/src/migrate.ts), because the native engine cannot be downloaded here.
// process.env rather than env(): env() throws when the variable is unset, which breaks generate.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});

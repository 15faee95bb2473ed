import { defineConfig } from 'vitest/config';

// One run covers every package: unit tests beside their code, cross-package and HTTP tests under test/.
// Each test file gets its own freshly migrated database (see test/support/db.ts).
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/reliability/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    coverage: {
      provider: 'v8',
      include: ['packages/contract/src/**', 'packages/server/src/**', 'packages/db/src/**'],
      exclude: ['**/generated/**', '**/*.test.ts', '**/*-cli.ts'],
      reporter: ['text-summary', 'json-summary'],
      // The design's coverage goal, enforced whenever coverage runs (CI): a run below it fails.
      thresholds: {
        'packages/server/src/**': { lines: 90 },
        'packages/contract/src/**': { lines: 90 },
      },
    },
  },
});

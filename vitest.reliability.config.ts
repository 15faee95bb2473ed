import { defineConfig } from 'vitest/config';

// `pnpm test:reliability`: input fuzzing, real faults (PostgreSQL stopped, SIGTERM, kill -9), concurrency and
// several instances, on throwaway PostgreSQL clusters (see test/reliability/support/global-setup.ts). Two files
// at a time keeps the run under five minutes on two cores; the time limits the fault tests assert ("fails fast",
// "exits within 10 s") leave several times the margin a busy neighbour costs.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/reliability/support/global-setup.ts'],
    reporters: ['default', './test/reliability/support/figures-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});

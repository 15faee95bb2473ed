import { applyMigrations, createDb } from '@ums/db';
import { seedDatabase } from '@ums/server';
import type { TestProject } from 'vitest/node';
import { ensureServerBuilt } from '../../../apps/server/scripts/build.mjs';
import { adminQuery, withDatabase } from '../../support/global-setup.ts';
import { startPgCluster } from '../../support/pg-cluster.ts';
import { makeCommitsDurable } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `postgresql://…/postgres` of the run's throwaway PostgreSQL cluster. */
    reliabilityPostgres: string;
  }
}

const TEMPLATE = 'ums_reliability_template';

/**
 * One throwaway PostgreSQL cluster for the whole reliability run, with a migrated and seeded template database.
 * Every file copies the template (createTestDb does, through TEST_DATABASE_URL and `postgresTemplate`), so the
 * suite never depends on the local server or on PGlite, and a file's faults stay in its own database — except the
 * outage test, which stops a cluster of its own.
 */
export default async function setup(project: TestProject) {
  // Files that start the real server run the compiled build: made here once, not by parallel workers at once.
  ensureServerBuilt();
  const cluster = await startPgCluster();
  const serverUrl = withDatabase(cluster.url, 'postgres');
  await makeCommitsDurable(serverUrl);
  await adminQuery(serverUrl, `CREATE DATABASE ${TEMPLATE}`);
  const db = await createDb(withDatabase(serverUrl, TEMPLATE), { poolSize: 1 });
  try {
    await applyMigrations(db.adapter);
    await seedDatabase({ db });
  } finally {
    // Closing the pool also drops the migration engine's advisory lock (D4 in docs/security.md).
    await db.close();
  }
  // test/support/db.ts reads these: every createTestApp() of this run gets a copy of the template on this cluster.
  process.env.TEST_DATABASE_URL = serverUrl;
  project.provide('postgresTemplate', TEMPLATE);
  project.provide('pgliteSnapshot', '');
  project.provide('reliabilityPostgres', serverUrl);
  return () => cluster.destroy();
}

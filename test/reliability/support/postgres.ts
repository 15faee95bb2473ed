import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { adminQuery, withDatabase } from '../../support/global-setup.ts';

/**
 * test/support/pg-cluster.ts runs PostgreSQL with synchronous_commit=off (fast, and harmless while PostgreSQL is
 * never killed). A test that stops PostgreSQL with `-m immediate` would then lose commits it had acknowledged, and
 * blame the service for it. A role setting outranks the command line, so every session commits durably again.
 */
export async function makeCommitsDurable(serverUrl: string): Promise<void> {
  await adminQuery(serverUrl, 'ALTER ROLE postgres SET synchronous_commit = on');
}

/** A new database on the run's cluster, copied from the migrated, seeded template; returns its URL. */
export async function createReliabilityDatabase(): Promise<string> {
  const serverUrl = inject('reliabilityPostgres');
  const name = `ums_rel_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
  return withDatabase(serverUrl, name);
}

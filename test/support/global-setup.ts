import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, createDb } from '@ums/db';
import { seedDatabase } from '@ums/server';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureServerBuilt } from '../../apps/server/scripts/build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite back end: a migrated, seeded data directory snapshot every test file starts from. */
    pgliteSnapshot: string;
    /** PostgreSQL back end (TEST_DATABASE_URL): a migrated, seeded template database to copy per test file. */
    postgresTemplate: string;
  }
}

/** Migrates and seeds once per run; test files copy the result instead of migrating again. */
export default async function setup(project: TestProject) {
  // Files that start the real server run the compiled build: made here once, not by parallel workers at once.
  ensureServerBuilt();
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = `ums_template_${randomBytes(6).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${template}`);
    const db = await createDb(withDatabase(serverUrl, template), { poolSize: 2 });
    await applyMigrations(db.adapter);
    await seedDatabase({ db });
    await db.close();
    project.provide('postgresTemplate', template);
    project.provide('pgliteSnapshot', '');
    return async () => {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ums-test-'));
  const db = await createDb('pglite:memory');
  await applyMigrations(db.adapter);
  await seedDatabase({ db });
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const file = join(dir, 'snapshot.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteSnapshot', file);
  project.provide('postgresTemplate', '');
  return () => rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

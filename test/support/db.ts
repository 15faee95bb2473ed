import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type CreateDbOptions, createDb, type Db } from '@ums/db';
import { inject } from 'vitest';
import { adminQuery, withDatabase } from './global-setup.ts';

export interface TestDb extends Db {
  /** `postgresql://…` of this test's own database (PostgreSQL back end only). */
  url: string | null;
}

/**
 * A fresh, migrated and seeded database of its own: an in-memory PGlite from the run's snapshot, or — with
 * TEST_DATABASE_URL — a new database copied from the run's template on that server, dropped on close.
 */
export async function createTestDb(options: Pick<CreateDbOptions, 'limits' | 'poolSize'> = {}): Promise<TestDb> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const template = inject('postgresTemplate');
  if (serverUrl && template) {
    const name = `ums_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
    const url = withDatabase(serverUrl, name);
    const db = await createDb(url, { poolSize: 5, ...options });
    return {
      ...db,
      url,
      close: async () => {
        await db.close();
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const snapshot = new Blob([readFileSync(inject('pgliteSnapshot'))]);
  const db = await createDb('pglite:memory', { loadDataDir: snapshot, ...(options.limits ? { limits: options.limits } : {}) });
  return { ...db, url: null };
}

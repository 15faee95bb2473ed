import { randomBytes } from 'node:crypto';
import pg from 'pg';

const DEFAULT_SERVER = 'postgresql://postgres@127.0.0.1:5432';

export interface BenchDatabase {
  name: string;
  /** Connection string of the new database. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database with a random name on the PostgreSQL server of BENCH_DATABASE_URL (default: the local one,
 * trust auth). The server URL's own database, if it names one, is used only to create and drop the new one.
 */
export async function createBenchDatabase(serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER): Promise<BenchDatabase> {
  const maintenance = new URL(serverUrl);
  if (maintenance.pathname === '' || maintenance.pathname === '/') maintenance.pathname = '/postgres';
  const name = `ums_bench_${new Date().toISOString().slice(0, 10).replaceAll('-', '')}_${randomBytes(4).toString('hex')}`;
  await withClient(maintenance.href, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(maintenance.href);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.href,
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE ends the connections a crashed or killed server may have left behind.
      await withClient(maintenance.href, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

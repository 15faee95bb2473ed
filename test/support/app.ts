import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type BuildAppOptions, buildApp, type Lifecycle, loadConfig, type ServerConfig, UNDOCUMENTED_STATUS } from '@ums/server';
import { createBackgroundTasks } from '@ums/server/src/background/background-tasks.ts';
import type { FastifyInstance } from 'fastify';
import { createTestDb, type TestDb } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  db: TestDb;
  config: ServerConfig;
  /** Every log line the app wrote, as text (for tests that check nothing secret is logged). */
  logs: string[];
  /** Resolves once the work procedures started after answering (requests by address) has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';
export const TEST_ENCRYPTION_KEY = 'test-encryption-key-that-is-long-enough-0123456789';

/**
 * The app on its own fresh database and data folder (where mail goes as .eml files unless `SMTP_URL` is given),
 * configured as in production except for what `env` overrides.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: Pick<BuildAppOptions, 'resolveHost'> & { lifecycle?: Lifecycle } = {},
): Promise<TestApp> {
  const config = loadConfig({
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ums-test-data-')),
    LOG_LEVEL: 'info',
    RATE_LIMIT_AUTH: '0',
    NODE_ENV: 'test',
    ...env,
  });
  // The service's database limits (DB_* in `env`); the pool stays small unless DB_POOL_SIZE says otherwise.
  const db = await createTestDb({ limits: config.dbLimits, ...(env.DB_POOL_SIZE ? { poolSize: config.dbPoolSize } : {}) });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  // The app's own logger reports a failed background task, once the app exists to own one.
  let log: FastifyInstance['log'] | undefined;
  const background = createBackgroundTasks((error, task) => log?.error({ err: error, task }, 'background task failed'));
  const app = await buildApp(config, { db, logStream, background, ...options });
  log = app.log;
  await app.ready();
  return {
    app,
    db,
    config,
    logs,
    settled: () => background.drain(),
    close: async () => {
      await app.close();
      await db.close();
      // Every REST answer of every test is checked against the statuses its operation documents.
      const undocumented = logs.filter((line) => line.includes(UNDOCUMENTED_STATUS));
      if (undocumented.length > 0) throw new Error(`REST answers the document does not list:\n${undocumented.join('')}`);
    },
  };
}

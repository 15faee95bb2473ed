import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { freePort } from '../support/free-port.ts';
import { adminQuery, withDatabase } from '../support/global-setup.ts';
import { repoRoot, type ServerProcess, spawnServer, waitForHealth } from '../support/server-process.ts';

export const SCREENSHOTS = resolve(repoRoot, 'test/e2e/screenshots');
export const ADMIN = { email: 'admin@example.com', password: 'e2e admin passphrase 1' };

const POSTGRES = process.env.E2E_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface E2E {
  baseUrl: string;
  server: ServerProcess;
  browser: Browser;
  /** Problems the pages reported: CSP violations, uncaught errors. */
  pageProblems: string[];
  newPage(width: number, height?: number): Promise<{ context: BrowserContext; page: Page }>;
  /** Runs one statement on the server's database: for a test that sets up a state no API makes (an old session). */
  sql(statement: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The service as `pnpm start` runs it (console built if stale, then apps/server/src/main.ts) on a fresh database
 * with a random name, plus a headless Chromium. `close()` stops both and drops the database. Mailed links point
 * at the server itself (PUBLIC_URL), so the browser opens them where the console is; `env` adds settings
 * (SMTP_URL, REQUIRE_EMAIL_VERIFICATION…).
 */
export async function startE2E({ env = {} }: { env?: Record<string, string> } = {}): Promise<E2E> {
  execFileSync(process.execPath, [resolve(repoRoot, 'apps/admin/scripts/ensure-built.mjs')], { stdio: 'inherit' });
  mkdirSync(SCREENSHOTS, { recursive: true });

  const database = `ums_e2e_${randomBytes(6).toString('hex')}`;
  await adminQuery(POSTGRES, `CREATE DATABASE ${database}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'ums-e2e-'));
  const port = await freePort();
  const server = spawnServer({
    DATABASE_URL: withDatabase(POSTGRES, database),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_AUTH: '0',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...env,
  });
  const cleanUp = async () => {
    await server.stop();
    await adminQuery(POSTGRES, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(server.baseUrl, { timeoutMs: 90_000 });
  } catch (error) {
    await cleanUp();
    throw new Error(`server did not start:\n${server.output()}`, { cause: error });
  }

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const pageProblems: string[] = [];

  return {
    baseUrl: server.baseUrl,
    server,
    browser,
    pageProblems,
    async newPage(width, height = 900) {
      const context = await browser.newContext({ viewport: { width, height }, baseURL: server.baseUrl });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(`console: ${message.text()}`);
      });
      return { context, page };
    },
    async sql(statement) {
      const client = new pg.Client({ connectionString: withDatabase(POSTGRES, database) });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    },
    async close() {
      await browser.close();
      await cleanUp();
    },
  };
}

/** A user made through the public API, as anyone could: `auth.register`. */
export async function registerUser(baseUrl: string, email: string, fullName: string, password = 'e2e user passphrase 1') {
  const res = await fetch(`${baseUrl}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, fullName }),
  });
  if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string }; accessToken: string };
  return { id: body.user.id, email, password, fullName, accessToken: body.accessToken };
}

export async function signInByApi(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

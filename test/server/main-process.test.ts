import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '@ums/db';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { spawnServer, waitForHealth } from '../support/server-process.ts';

describe('the service process (apps/server)', () => {
  it('exits 1 with one clear line for a bad configuration', async () => {
    const server = spawnServer({ PORT: 'abc', DATA_DIR: mkdtempSync(join(tmpdir(), 'ums-main-')) });
    expect(await server.exited).toBe(1);
    expect(server.output().trim()).toBe('Configuration error: PORT must be a whole number from 0 to 65535 (got "abc")');
  });

  it('exits 1 in production without a long enough JWT_SECRET', async () => {
    const server = spawnServer({ NODE_ENV: 'production', JWT_SECRET: 'too-short', DATA_DIR: mkdtempSync(join(tmpdir(), 'ums-main-')) });
    expect(await server.exited).toBe(1);
    expect(server.output().trim()).toBe('Configuration error: JWT_SECRET must be at least 32 bytes in production');
  });

  it('starts on the embedded database with nothing configured, keeps data across a restart and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ums-main-'));
    const port = String(await freePort());
    const env = { DATA_DIR: dataDir, PORT: port };

    const first = spawnServer({ ...env, BOOTSTRAP_ADMIN_EMAIL: 'root@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap-password-1' });
    // The 10 s start-up target is measured on a quiet machine, not asserted here beside other test files.
    const startedIn = await waitForHealth(first.baseUrl, { timeoutMs: 60_000 });
    console.log(`first start on a new embedded database: /health 200 after ${Math.round(startedIn)} ms`);
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = spawnServer(env);
    await waitForHealth(second.baseUrl, { timeoutMs: 60_000 });
    expect(await second.stop('SIGINT')).toBe(0);

    const db = await createDb(`pglite:${join(dataDir, 'db')}`);
    try {
      const admin = await db.prisma.user.findUnique({
        where: { email: 'root@example.com' },
        select: { roles: { select: { role: { select: { name: true } } } } },
      });
      expect(admin?.roles.map((link) => link.role.name).sort()).toEqual(['admin', 'user']);
    } finally {
      await db.close();
    }
  }, 180_000);
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerAdminConsole } from '@ums/server/src/http/admin-console.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A stand-in build. The real one (`pnpm --filter @ums/admin build`) runs under the server's CSP in the e2e tests.
let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ums-admin-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="/admin/assets/app-1234.js"></script>');
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log("console")');
  app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  await registerAdminConsole(app, { root });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the admin console at /admin', () => {
  it('serves index.html at /admin and /admin/, revalidated on every load', async () => {
    for (const url of ['/admin', '/admin/']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('/admin/assets/app-1234.js');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('falls back to index.html for the console routes, so a reload of /admin/users/… works', async () => {
    for (const url of ['/admin/users', '/admin/users/6f1c2a4e-0000-4000-8000-000000000000', '/admin/audit?targetId=x']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<!doctype html>');
    }
  });

  it('serves built assets with a long cache, and a real 404 for a missing one', async () => {
    const asset = await app.inject({ url: '/admin/assets/app-1234.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const missing = await app.inject({ url: '/admin/assets/gone-0000.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers only GET and HEAD', async () => {
    const res = await app.inject({ method: 'POST', url: '/admin/users', payload: {} });
    expect(res.statusCode).toBe(404);
  });

  it('says how to build it when the build is missing', async () => {
    const bare = Fastify();
    await registerAdminConsole(bare, { root: join(root, 'nowhere') });
    const res = await bare.inject({ url: '/admin/users' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('pnpm --filter @ums/admin build');
    await bare.close();
  });
});

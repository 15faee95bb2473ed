import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./index.ts', import.meta.url));

/** `@scope/name` or `name` of a bundled file inside node_modules (pnpm's folder names carry peers, so use the last segment). */
const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:(?!node_modules\/).)*$/.exec(input)?.[1];

const SERVER_ONLY =
  /^(@prisma\/|prisma$|\.prisma|fastify$|@fastify\/|fastify-|@electric-sql\/pglite|pg$|pg-|@node-rs\/|jsonwebtoken$|ioredis$|prom-client$)/;

// What a frontend gets when it imports @ums/shared: the router is a type only, so none of the server may come along.
describe('the @ums/shared bundle', () => {
  it('builds for the browser with the client and the contract, without any server code', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const packages = new Set(inputs.map(packageOf).filter((name) => name !== undefined));

    expect(inputs).toContain('packages/shared/src/create-client.ts');
    expect(inputs).toContain('packages/contract/src/users.ts');
    expect(packages).toContain('@trpc/client');
    expect(packages).toContain('zod');
    expect([...packages].filter((name) => SERVER_ONLY.test(name))).toEqual([]);
    expect(inputs.filter((input) => /^packages\/(server|db)\//.test(input))).toEqual([]);
    // Only the client half of @trpc/server (observables, error shapes) — never an adapter.
    expect(inputs.filter((input) => /@trpc\/server\/dist\/adapters/.test(input))).toEqual([]);
  });

  it('would notice server code: the same check flags a bundle of the server package', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../../server/src/index.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      packages: 'external',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /^packages\/(server|db)\//.test(input)).length).toBeGreaterThan(0);
  });
});

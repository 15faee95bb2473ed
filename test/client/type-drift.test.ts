import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const overlay = mkdtempSync(join(tmpdir(), 'ums-drift-'));
afterAll(() => rmSync(overlay, { recursive: true, force: true }));

/**
 * Type-checks the admin console against a server whose contract was changed by `edit`: the server's router types
 * come from @ums/contract, so redirecting that one import changes what every procedure returns.
 */
function typecheckConsoleAgainst(edit: (usersTs: string) => string) {
  const contract = join(overlay, 'contract');
  cpSync(join(repo, 'packages/contract/src'), contract, { recursive: true });
  writeFileSync(join(contract, 'users.ts'), edit(readFileSync(join(contract, 'users.ts'), 'utf8')));
  mkdirSync(join(overlay, 'node_modules'), { recursive: true });
  symlinkSync(realpathSync(join(repo, 'packages/contract/node_modules/zod')), join(overlay, 'node_modules/zod'));
  writeFileSync(join(overlay, 'package.json'), '{ "type": "module" }');
  const tsconfig = join(overlay, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(repo, 'apps/admin/tsconfig.json'),
      compilerOptions: { paths: { '@ums/contract': [join(contract, 'index.ts')] }, typeRoots: [join(repo, 'node_modules/@types')] },
      include: [join(repo, 'apps/admin/src')],
    }),
  );
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', tsconfig], { encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the admin console type check', () => {
  it('fails when a procedure output changes in the server (User.email: string → number)', { timeout: 200_000 }, () => {
    const { status, output } = typecheckConsoleAgainst((source) => {
      const at = source.indexOf('email: z.string()', source.indexOf('export const ZUser'));
      expect(at).toBeGreaterThan(0);
      return `${source.slice(0, at)}email: z.number()${source.slice(at + 'email: z.string()'.length)}`;
    });
    expect(status).not.toBe(0);
    expect(output).toContain('src/api-types.typecheck.ts');
    expect(output).toMatch(/Expected: string, Actual: number/);
  });
});

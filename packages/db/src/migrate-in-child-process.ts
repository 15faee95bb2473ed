import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * applyMigrations for a PostgreSQL database, run by `migrate-cli deploy --json` in a short-lived child process:
 * the WebAssembly schema engine's memory (~30 MB, which WebAssembly never gives back) leaves with it instead of
 * staying in the server for its whole life. The embedded database cannot do this (one PGlite per process).
 */
export async function applyMigrationsInChildProcess(url: string): Promise<string[]> {
  // This package's own CLI: .ts when run from source (the child gets the same loader flags), .js when compiled.
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const cli = fileURLToPath(new URL(`./migrate-cli.${extension}`, import.meta.url));
  const nodeFlags = process.execArgv.filter((flag) => !flag.startsWith('--cpu-prof'));
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, cli, 'deploy', '--json'], {
    env: { ...process.env, DATABASE_URL: url },
  });
  const applied: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]');
  if (!Array.isArray(applied)) throw new Error(`migrate-cli: unexpected output ${stdout.slice(0, 200)}`);
  return applied.map(String);
}

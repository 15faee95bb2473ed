// Builds the console when dist/ is missing or older than any of its sources; otherwise returns at once.
// `pnpm start` runs it first, so a fresh clone serves /admin without a separate build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const repo = join(appDir, '..', '..');
const built = join(appDir, 'dist', 'index.html');
const sources = [
  join(appDir, 'index.html'),
  join(appDir, 'vite.config.ts'),
  join(appDir, 'package.json'),
  join(appDir, 'src'),
  join(repo, 'packages', 'shared', 'src'),
  join(repo, 'packages', 'contract', 'src'),
];

/** The newest modification time under `path`, in milliseconds. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const changedAt = Math.max(...sources.map(newest));
if (builtAt > changedAt) {
  console.log('admin console: up to date');
} else {
  console.log(builtAt ? 'admin console: sources changed, rebuilding…' : 'admin console: building…');
  const { build } = await import('vite');
  await build({ root: appDir, logLevel: 'warn' });
  console.log('admin console: built');
}

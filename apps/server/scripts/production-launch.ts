import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ensureServerBuilt } from './build.mjs';

const appDir = resolve(import.meta.dirname, '..');

/** The production start script (what `pnpm start` and a container run). */
export const startScript = resolve(appDir, 'bin/start');

/**
 * How the production start runs the service: the environment settings, Node flags and compiled entry point of
 * the `exec env … node …` line of bin/start, read from it so tests and the bench run exactly what ships; built
 * first if a source changed since the last build.
 */
export function productionLaunch(): { args: string[]; env: Record<string, string> } {
  const start = readFileSync(startScript, 'utf8');
  const [, settings = '', run] = /^exec env ((?:[A-Z_]+=\S+ )*)node (.+)$/m.exec(start) ?? [];
  if (!run) throw new Error(`apps/server/bin/start has an unexpected shape: ${start}`);
  ensureServerBuilt();
  const words = run.split(' ');
  const entry = (words.pop() ?? '').replace(/^"\$app\/(.+)"$/, '$1');
  const env = Object.fromEntries(
    settings
      .trim()
      .split(' ')
      .filter(Boolean)
      .map((setting) => setting.split('=') as [string, string]),
  );
  return { args: [...words, resolve(appDir, entry)], env };
}

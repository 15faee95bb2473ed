import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ensureServerBuilt } from './build.mjs';

const appDir = resolve(import.meta.dirname, '..');

/**
 * How `pnpm start` runs the service: the environment settings, Node flags and compiled entry point of apps/server's
 * start script, read from it so tests and the bench run exactly what ships; built first if a source changed since
 * the last build.
 */
export function productionLaunch(): { args: string[]; env: Record<string, string> } {
  const start: string = JSON.parse(readFileSync(resolve(appDir, 'package.json'), 'utf8')).scripts.start;
  const [, settings = '', run] = /&& ((?:[A-Z_]+=\S+ )*)node (.+)$/.exec(start) ?? [];
  if (!run) throw new Error(`apps/server start script has an unexpected shape: ${start}`);
  ensureServerBuilt();
  const words = run.split(' ');
  const entry = words.pop() ?? '';
  const env = Object.fromEntries(
    settings
      .trim()
      .split(' ')
      .filter(Boolean)
      .map((setting) => setting.split('=') as [string, string]),
  );
  return { args: [...words, resolve(appDir, entry)], env };
}

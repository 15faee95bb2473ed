import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ensureServerBuilt } from './build.mjs';

const appDir = resolve(import.meta.dirname, '..');

/**
 * How `pnpm start` runs the service: the Node flags and compiled entry point of apps/server's start script, read
 * from it so tests and the bench run exactly what ships; built first if a source changed since the last build.
 */
export function productionLaunch(): { args: string[] } {
  const start: string = JSON.parse(readFileSync(resolve(appDir, 'package.json'), 'utf8')).scripts.start;
  const run = /&& node (.+)$/.exec(start)?.[1];
  if (!run) throw new Error(`apps/server start script has an unexpected shape: ${start}`);
  ensureServerBuilt();
  const words = run.split(' ');
  const entry = words.pop() ?? '';
  return { args: [...words, resolve(appDir, entry)] };
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * An initialised, empty PGlite data directory, made once at install time. PGlite's initdb costs ~5 s on this
 * hardware; unpacking this snapshot into a new data directory costs ~2 s, which keeps a first start fast.
 */
// The package does not export its package.json; read it where pnpm links it for this package.
const pgliteManifest = resolve(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json');
const pgliteVersion: string = JSON.parse(readFileSync(pgliteManifest, 'utf8')).version;

// Keyed by PGlite's version: a snapshot made by another version is never loaded.
export const embeddedTemplatePath = resolve(import.meta.dirname, `../.cache/pglite-${pgliteVersion}-initdb.tgz`);

export function readEmbeddedTemplate(): Blob | undefined {
  return existsSync(embeddedTemplatePath) ? new Blob([readFileSync(embeddedTemplatePath)]) : undefined;
}

export const isInitialisedDataDir = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

export async function writeEmbeddedTemplate(): Promise<void> {
  const pglite = await PGlite.create();
  const dump = await pglite.dumpDataDir('gzip');
  await pglite.close();
  mkdirSync(dirname(embeddedTemplatePath), { recursive: true });
  const partial = `${embeddedTemplatePath}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, embeddedTemplatePath);
}

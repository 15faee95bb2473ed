import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { migrationsDir, readMigrations, readSchema } from './migrations.ts';
import { loadSchemaEngine } from './schema-engine.ts';

const noFilters = { externalTables: [], externalEnums: [] };
const schemaFiles = (schema: string) => [{ path: 'schema.prisma', content: schema }];

/** Applies every pending migration (recorded in `_prisma_migrations`); returns the names it applied. */
export async function applyMigrations(adapter: SqlMigrationAwareDriverAdapterFactory, dir = migrationsDir): Promise<string[]> {
  const engine = await loadSchemaEngine(readSchema(), adapter);
  try {
    const result = await engine.applyMigrations({ migrationsList: readMigrations(dir), filters: noFilters });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** SQL that would take a database built by the migrations to `schema.prisma`; empty when they agree. */
export async function diffMigrationsToSchema(schema = readSchema(), dir = migrationsDir): Promise<string> {
  // A development tool: the embedded database it diffs against is loaded only here, never by a running server.
  const [{ PGlite }, { citext }, { pg_trgm }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/citext'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('pglite-prisma-adapter'),
  ]);
  const shadow = await PGlite.create({ extensions: { pg_trgm, citext } });
  const engine = await loadSchemaEngine(schema, new PrismaPGlite(shadow));
  try {
    await engine.applyMigrations({ migrationsList: readMigrations(dir), filters: noFilters });
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: schemaFiles(schema), configDir: dir },
      to: { tag: 'schemaDatamodel', files: schemaFiles(schema) },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return onlyStatements(result.stdout ?? '');
  } finally {
    engine.free();
    await shadow.close();
  }
}

/** Writes a new migration folder holding the schema diff; returns its name, or null when nothing changed. */
export async function createMigration(name: string, dir = migrationsDir): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('migration name: use lower-case letters, digits and _');
  const sql = await diffMigrationsToSchema(readSchema(), dir);
  if (!sql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name}`;
  mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, folder, 'migration.sql'), sql);
  writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  return folder;
}

const onlyStatements = (sql: string) => (sql.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')) ? sql : '');

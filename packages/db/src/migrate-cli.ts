// `pnpm db:migrate` applies pending migrations to DATABASE_URL (or the embedded database in DATA_DIR);
// `pnpm db:migrate:new <name>` writes a migration from the difference between the migrations and schema.prisma.
import { resolve } from 'node:path';
import { createDb } from './create-db.ts';
import { applyMigrations, createMigration } from './migrate.ts';

const [command, name] = process.argv.slice(2);
// `deploy --json`: the applied migrations' names as one JSON line (how the server reads them from a child process).
const json = name === '--json';
const url = process.env.DATABASE_URL || `pglite:${resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DATA_DIR ?? '.data', 'db')}`;

if (command === 'deploy') {
  const db = await createDb(url);
  try {
    const applied = await applyMigrations(db.adapter);
    if (json) console.log(JSON.stringify(applied));
    else console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await db.close();
  }
} else if (command === 'new' && name) {
  const folder = await createMigration(name);
  console.log(folder ? `created prisma/migrations/${folder}/migration.sql — review it, then run pnpm db:migrate` : 'no schema changes');
} else {
  console.error('usage: migrate-cli.ts deploy | new <name>');
  process.exitCode = 2;
}
// The WebAssembly engine leaves a timer running for ~10 s after free(); do not wait for it.
process.exit(process.exitCode ?? 0);

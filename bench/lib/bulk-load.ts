import type pg from 'pg';

interface Deferred {
  table: string;
  name: string;
  /** `CREATE INDEX …` or `ALTER TABLE … ADD CONSTRAINT …`, as PostgreSQL itself describes the object. */
  recreate: string;
  drop: string;
}

/**
 * Loads rows the way bulk loads are done: the tables' indexes (and primary/unique constraints no foreign key relies
 * on) are dropped, the rows inserted, then everything is rebuilt from PostgreSQL's own definitions — one sort per
 * index instead of a million random inserts into each. Triggers (foreign keys included) stay on. The database is the
 * harness's own, made for this run.
 */
export async function withIndexesDeferred<T>(client: pg.Client, tables: string[], load: () => Promise<T>): Promise<T> {
  const { rows: constraints } = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) AND c.contype IN ('p', 'u')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    [tables],
  );
  const deferred: Deferred[] = [
    ...constraints.map((c) => ({
      table: c.table,
      name: c.name,
      drop: `ALTER TABLE "${c.table}" DROP CONSTRAINT "${c.name}"`,
      recreate: `ALTER TABLE "${c.table}" ADD CONSTRAINT "${c.name}" ${c.definition}`,
    })),
    ...indexes.map((i) => ({ table: i.table, name: i.name, drop: `DROP INDEX "${i.name}"`, recreate: i.definition })),
  ];
  for (const item of deferred) await client.query(item.drop);
  try {
    return await load();
  } finally {
    for (const item of deferred) await client.query(item.recreate);
  }
}

import type { PrismaClient } from '@ums/db';

/** Every text, varchar, json, jsonb and text[] column of every table, from information_schema. */
export async function textColumns(db: PrismaClient): Promise<{ table: string; column: string }[]> {
  return db.$queryRaw<{ table: string; column: string }[]>`
    SELECT table_name AS "table", column_name AS "column"
      FROM information_schema.columns
     WHERE table_schema = 'public'
       AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE')
       AND (data_type IN ('text', 'character varying', 'json', 'jsonb') OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))
     ORDER BY table_name, column_name`;
}

/** Where in the database each value still occurs (case-insensitive substring of the column's text): `table.column`. */
export async function findInDatabase(db: PrismaClient, values: readonly string[]): Promise<Record<string, string[]>> {
  const columns = await textColumns(db);
  const found: Record<string, string[]> = {};
  for (const value of values) {
    for (const { table, column } of columns) {
      const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE strpos(lower("${column}"::text), lower($1)) > 0`,
        value,
      );
      if ((row?.n ?? 0) > 0) found[value] = [...(found[value] ?? []), `${table}.${column}`];
    }
  }
  return found;
}

import { ZListUsersInput } from '@ums/contract';
import type { Db } from '@ums/db';
import { listUsers } from '@ums/server/src/modules/users/list-users.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.ts';

// The indexes behind users.list's search (the users_search_indexes migration), checked through the plans PostgreSQL
// makes for the statements listUsers sends, on both back ends.

const USERS = 3000;
let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  // One user in five shares a name, so a search for it finds its page within the newest rows; every other name is
  // unique. Small enough that ANALYZE reads every row: the plans below do not depend on a sample.
  await db.prisma.$executeRaw`
    INSERT INTO users (id, email, password_hash, full_name, created_at)
    SELECT gen_random_uuid(), 'searcher-' || i || '@search.example', 'not-a-real-hash',
           CASE WHEN i % 5 = 0 THEN 'Common Name' ELSE 'Person ' || i END, now() - i * interval '1 minute'
      FROM generate_series(1, ${USERS}::int) AS i`;
  // VACUUM sets the visibility map an index-only scan relies on.
  await db.prisma.$executeRawUnsafe('VACUUM ANALYZE users');
});
afterAll(async () => {
  await db?.close();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The scans (type and index) in the plan of the page query listUsers sends for this search, in the default order. */
async function scansFor(search: string): Promise<[string, string | undefined][]> {
  const statements: { text: string; values: unknown[] }[] = [];
  const recording: Db = {
    ...db,
    query: (statement) => {
      statements.push({ text: statement.text, values: statement.values });
      return db.query(statement);
    },
  };
  const page = await listUsers({ db: recording }, ZListUsersInput.parse({ search, limit: 20 }));
  expect(page.items.length).toBeGreaterThan(0);
  const [statement] = statements;
  if (!statement || statements.length !== 1) throw new Error(`expected one page query, got ${statements.length}`);
  const [row] = await db.prisma.$queryRawUnsafe<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(
    `EXPLAIN (FORMAT JSON) ${statement.text}`,
    ...statement.values,
  );
  const scans: [string, string | undefined][] = [];
  const visit = (node: PlanNode) => {
    if (/Scan/.test(node['Node Type'])) scans.push([node['Node Type'], node['Index Name']]);
    for (const child of node.Plans ?? []) visit(child);
  };
  if (row) visit(row['QUERY PLAN'][0].Plan);
  return scans;
}

describe('the indexes behind users.list search', () => {
  it('walks newest first testing each user from the index alone, never visiting the table, for a common term', async () => {
    expect(await scansFor('common name')).toContainEqual(['Index Only Scan', 'users_created_at_id_search_text_idx']);
  });

  it('finds a rare term through the trigram index', async () => {
    expect(await scansFor('person 1234')).toContainEqual(['Bitmap Index Scan', 'users_search_text_trgm_idx']);
  });

  it('keeps no pending list in the trigram index, so writes never slow searches down until the next VACUUM', async () => {
    const [index] = await db.prisma.$queryRaw<{ options: string[] | null }[]>`
      SELECT reloptions AS options FROM pg_class WHERE relname = 'users_search_text_trgm_idx'`;
    expect(index?.options).toContain('fastupdate=off');
  });
});

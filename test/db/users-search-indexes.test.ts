import { ZListUsersInput } from '@ums/contract';
import type { Db } from '@ums/db';
import { SEARCH_WALK_ROWS } from '@ums/db/src/queries/user-list.ts';
import { listUsers } from '@ums/server/src/modules/users/list-users.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.ts';

// The indexes behind users.list's search (the users_search_indexes migration), checked through the plans PostgreSQL
// makes for the statements listUsers sends, on both back ends.

// More users than the bounded search walk tests (SEARCH_WALK_ROWS), so a walk through all of them would show.
const USERS = 12_000;
const INSERT_CHUNK = 1000;
let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  // One user in five shares a name, so a search for it finds its page within the newest rows; every other name is
  // unique. Small enough that ANALYZE reads every row (its sample is 30,000 rows): the plans below do not depend on luck.
  // In chunks: each row updates the trigram index at once (no pending list), and one statement for all of them can
  // outlast the test database's statement timeout on a busy machine.
  for (let from = 1; from <= USERS; from += INSERT_CHUNK) {
    await db.prisma.$executeRaw`
      INSERT INTO users (id, email, password_hash, full_name, created_at)
      SELECT gen_random_uuid(), 'searcher-' || i || '@search.example', 'not-a-real-hash',
             CASE WHEN i % 5 = 0 THEN 'Common Name' ELSE 'Person ' || i END, now() - i * interval '1 minute'
        FROM generate_series(${from}::int, ${Math.min(USERS, from + INSERT_CHUNK - 1)}::int) AS i`;
  }
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

/** A scan in a plan: its type and its index. */
type Scan = [type: string, index: string | undefined];

interface AnalysedNode extends PlanNode {
  'Actual Rows': number;
  'Rows Removed by Filter'?: number;
  Plans?: AnalysedNode[];
}

/** The plan of each page statement listUsers sends for this search in the default order, in the order sent. */
async function plansFor<Node extends PlanNode>(search: string, explain: 'EXPLAIN' | 'EXPLAIN ANALYZE'): Promise<Node[]> {
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
  const plans: Node[] = [];
  for (const statement of statements) {
    const options = explain === 'EXPLAIN' ? '(FORMAT JSON)' : '(ANALYZE, FORMAT JSON)';
    const [row] = await db.prisma.$queryRawUnsafe<{ 'QUERY PLAN': [{ Plan: Node }] }[]>(
      `EXPLAIN ${options} ${statement.text}`,
      ...statement.values,
    );
    if (row) plans.push(row['QUERY PLAN'][0].Plan);
  }
  return plans;
}

const nodesOf = <Node extends PlanNode>(node: Node): Node[] => [node, ...(node.Plans ?? []).flatMap((child) => nodesOf(child as Node))];

/** The scans of each page statement listUsers sends for this search, in the order sent. */
async function scansFor(search: string): Promise<Scan[][]> {
  const plans = await plansFor(search, 'EXPLAIN');
  return plans.map((plan) =>
    nodesOf(plan)
      .filter((node) => /Scan/.test(node['Node Type']))
      .map((node): Scan => [node['Node Type'], node['Index Name']]),
  );
}

/** How many entries of the created_at index the statements listUsers sends for this search read (EXPLAIN ANALYZE). */
async function createdAtEntriesRead(search: string): Promise<number> {
  const plans = await plansFor<AnalysedNode>(search, 'EXPLAIN ANALYZE');
  return plans
    .flatMap((plan) => nodesOf(plan))
    .filter((node) => node['Index Name'] === 'users_created_at_id_search_text_idx')
    .reduce((read, node) => read + node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0), 0);
}

describe('the indexes behind users.list search', () => {
  it('walks newest first testing each user from the index alone, never visiting the table, for a common term', async () => {
    const plans = await scansFor('common name');
    // The page is among the newest rows: the bounded walk answers, no second statement.
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContainEqual(['Index Only Scan', 'users_created_at_id_search_text_idx']);
  });

  it('finds a rare term through the trigram index', async () => {
    const plans = await scansFor('person 1234');
    expect(plans.at(-1)).toContainEqual(['Bitmap Index Scan', 'users_search_text_trgm_idx']);
  });

  it('never walks the created_at index further than the bounded walk, even for a one-user term the planner takes for 1 %', async () => {
    // A search_text value in the column's histogram makes the planner estimate a term matching it at 1 % of the
    // table (120 rows), so one statement would walk the created_at index expecting a page soon. The oldest such
    // user is the worst case: that walk would read nearly every index entry before reaching them.
    const [stats] = await db.prisma.$queryRaw<{ bounds: string[] }[]>`
      SELECT histogram_bounds::text::text[] AS bounds FROM pg_stats WHERE tablename = 'users' AND attname = 'search_text'`;
    const ordinals = (stats?.bounds ?? []).map((value) => Number(/^searcher-(\d+)@/.exec(value)?.[1] ?? 0));
    const oldest = Math.max(...ordinals);
    expect(oldest).toBeGreaterThan(SEARCH_WALK_ROWS);
    const read = await createdAtEntriesRead(`searcher-${oldest}@`);
    expect(read).toBeLessThanOrEqual(SEARCH_WALK_ROWS);
  });

  it('keeps no pending list in the trigram index, so writes never slow searches down until the next VACUUM', async () => {
    const [index] = await db.prisma.$queryRaw<{ options: string[] | null }[]>`
      SELECT reloptions AS options FROM pg_class WHERE relname = 'users_search_text_trgm_idx'`;
    expect(index?.options).toContain('fastupdate=off');
  });
});

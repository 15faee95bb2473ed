import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';
import { type UserRow, userProjection } from './users.ts';

export type UserSortKey = 'createdAt' | 'email' | 'fullName' | 'lastLoginAt';

export interface UserListFilter {
  search?: string | undefined;
  role?: string | undefined;
  isActive?: boolean | undefined;
}

export interface UserListOrder {
  sort: UserSortKey;
  order: 'asc' | 'desc';
}

/**
 * Where the previous page ended: the sort value and id of its last row. `value: null` means the walk has reached
 * the rows whose sort column is empty, which come last in both directions.
 */
export interface UserListPosition {
  value: string | null;
  id: string;
}

// Whitelisted identifiers: the only SQL fragments not passed as parameters.
const SORT_COLUMN: Record<UserSortKey, Prisma.Sql> = {
  createdAt: Prisma.raw('u.created_at'),
  email: Prisma.raw('u.email'),
  fullName: Prisma.raw('u.full_name'),
  lastLoginAt: Prisma.raw('u.last_login_at'),
};

export const isNullableSort = (sort: UserSortKey) => sort === 'fullName' || sort === 'lastLoginAt';

export const isTimestampSort = (sort: UserSortKey) => sort === 'createdAt' || sort === 'lastLoginAt';

export interface UserPageQuery {
  filter: UserListFilter;
  order: UserListOrder;
  after: UserListPosition | null;
  take: number;
  /** Also count every user the filter matches, exactly. */
  withTotal: boolean;
}

/**
 * Up to `take` users after `after`, keyset-paged over (sort column, id) — never OFFSET — so a deep page costs what
 * page 1 costs. First the rows with a sort value (one index range scan), then the empty ones by id (another).
 */
export async function selectUserPage(db: DbHandle, query: UserPageQuery): Promise<{ rows: UserRow[]; total?: number }> {
  const filters = await filterConditions(db, query.filter);
  if (!filters) return query.withTotal ? { rows: [], total: 0 } : { rows: [] };
  const all = filters.search ? [...filters.conditions, filters.search] : filters.conditions;
  const [rows, total] = await Promise.all([pageRows(db, query, filters), query.withTotal ? countUsers(db, all) : undefined]);
  return total === undefined ? { rows } : { rows, total };
}

async function pageRows(db: DbHandle, { order, after, take }: UserPageQuery, filters: Filters): Promise<UserRow[]> {
  const rows: UserRow[] = [];
  if (after?.value !== null) rows.push(...(await readPage(db, valuesPage(order, filters, after, take))));
  if (isNullableSort(order.sort) && rows.length < take) {
    const afterId = after?.value === null ? after.id : null;
    rows.push(...(await readPage(db, emptyValuesPage(order, filters, afterId, take - rows.length))));
  }
  return rows.slice(0, take);
}

async function countUsers(db: DbHandle, conditions: Prisma.Sql[]): Promise<number> {
  const [row] = await db.query<{ total: number }>(
    Prisma.sql`SELECT count(*)::int AS total FROM users u WHERE ${Prisma.join(conditions, ' AND ')}`,
  );
  return row?.total ?? 0;
}

/**
 * LIMIT as a literal, rounded up to one of a few sizes (the caller keeps the rows it asked for): with a parameter
 * there, the prepared statement's generic plan assumes a tenth of the table. Few sizes keep the statements few.
 */
export const LIMIT_SIZES = [21, 51, 101] as const;
function limitLiteral(rows: number): Prisma.Sql {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`not a row count: ${rows}`);
  return Prisma.raw(String(LIMIT_SIZES.find((size) => size >= rows) ?? rows));
}

/** What the users_search_text migration puts between the lowered email and the lowered name. */
const SEARCH_TEXT_SEPARATOR = '\n';

/** `%`, `_` and `\` are LIKE syntax; escaped, the search term is plain text (backslash is LIKE's default escape). */
export const escapeLikePattern = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * The WHERE conditions of the filters; `null` when they cannot match anyone (an unknown role, or a search term
 * with a line break: no email or name holds one, and in search_text it could only match across the two).
 */
interface Filters {
  /** Every filter but the search. */
  conditions: Prisma.Sql[];
  /** The search's condition, which the page reads in two bounded steps (readPage). */
  search: Prisma.Sql | null;
}

async function filterConditions(db: DbHandle, { search, role, isActive }: UserListFilter): Promise<Filters | null> {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  let searchCondition: Prisma.Sql | null = null;
  if (search) {
    if (search.includes(SEARCH_TEXT_SEPARATOR)) return null;
    // Substring match on search_text (lower(email), a newline, lower(full_name)), served by its trigram index; the
    // term is lowered by the same lower() and matched literally. LIKE, not ILIKE: ILIKE lowers every row it tests.
    const pattern = `%${escapeLikePattern(search)}%`;
    searchCondition = Prisma.sql`u.search_text LIKE lower(${pattern})`;
  }
  if (role) {
    // The role's id as a literal lets the planner weigh how common the role is (a rare role is read from user_roles).
    const [found] = await db.query<{ id: string }>(Prisma.sql`SELECT id FROM roles WHERE name = ${role}`);
    if (!found) return null;
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_id = ${found.id}::uuid)`);
  }
  if (isActive !== undefined) conditions.push(Prisma.sql`u.is_active = ${isActive}`);
  return { conditions, search: searchCondition };
}

/**
 * The rows with a sort value, after the position. ORDER BY keeps PostgreSQL's default null placement for the
 * direction so the (column, id) index is read as is; the IS NOT NULL condition makes that placement moot.
 */
function valuesPage({ sort, order }: UserListOrder, filters: Filters, after: UserListPosition | null, take: number): PageParts {
  const column = SORT_COLUMN[sort];
  const conditions = [...filters.conditions];
  if (isNullableSort(sort)) conditions.push(Prisma.sql`${column} IS NOT NULL`);
  // email is unique: it orders rows on its own, and its unique index serves the walk.
  const uniqueSort = sort === 'email';
  if (after?.value != null) {
    const comparison = order === 'asc' ? Prisma.raw('>') : Prisma.raw('<');
    const value = isTimestampSort(sort) ? Prisma.sql`${after.value}::timestamptz` : Prisma.sql`${after.value}`;
    conditions.push(
      uniqueSort ? Prisma.sql`${column} ${comparison} ${value}` : Prisma.sql`(${column}, u.id) ${comparison} (${value}, ${after.id}::uuid)`,
    );
  }
  const direction = order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
  const orderBy = uniqueSort ? Prisma.sql`${column} ${direction}` : Prisma.sql`${column} ${direction}, u.id ${direction}`;
  return { conditions, search: filters.search, column, orderBy, take };
}

/** The rows without a sort value, by id, after `afterId`; ordering by the (empty) column too lets the index serve it. */
function emptyValuesPage({ sort, order }: UserListOrder, filters: Filters, afterId: string | null, take: number): PageParts {
  const column = SORT_COLUMN[sort];
  const conditions = [...filters.conditions, Prisma.sql`${column} IS NULL`];
  if (afterId) conditions.push(order === 'asc' ? Prisma.sql`u.id > ${afterId}::uuid` : Prisma.sql`u.id < ${afterId}::uuid`);
  const direction = order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
  return { conditions, search: filters.search, column, orderBy: Prisma.sql`${column} ${direction}, u.id ${direction}`, take };
}

/** One page query's parts: its keyset conditions and filters, the search if any, the order and the rows wanted. */
interface PageParts {
  conditions: Prisma.Sql[];
  search: Prisma.Sql | null;
  /** The sort column (`u.<name>`): what the order is over, besides the id. */
  column: Prisma.Sql;
  orderBy: Prisma.Sql;
  take: number;
}

/**
 * How many rows of the order a search tests before it asks the trigram index instead. A search's single statement
 * was planned on ANALYZE's guess of how common the term is: a rare term the sample happened to contain was walked
 * through the whole created_at index (20–25 ms at 100,000 users, ten times that at a million). Bounded, the walk
 * costs at most this many index entries (the created_at index covers search_text: no table visit), and a term with
 * fewer matches among them is rare enough for the trigram index (docs/benchmarks.md, issue 23).
 */
export const SEARCH_WALK_ROWS = 5000;

/**
 * A page without a search is one statement. With one, first the newest (in the order) SEARCH_WALK_ROWS rows are
 * tested; when they hold a full page it is the answer, as it is exactly the first page of the full match. Otherwise
 * every match is collected through the trigram index (a MATERIALIZED CTE: no ORDER BY or LIMIT in it, so no plan
 * can count on finding the page early) and sorted. Neither step's cost hangs on the planner's estimate of the term.
 */
async function readPage(db: DbHandle, parts: PageParts): Promise<UserRow[]> {
  if (!parts.search) return db.query<UserRow>(pageQuery(parts.conditions, parts.orderBy, parts.take));
  const walked = await db.query<UserRow>(walkedPageQuery(parts, parts.search));
  if (walked.length >= parts.take) return walked;
  return db.query<UserRow>(matchedPageQuery(parts, parts.search));
}

/** One round trip per page: the keyset scan picks the ids, then only those rows are read in full with their roles. */
function pageQuery(conditions: Prisma.Sql[], orderBy: Prisma.Sql, take: number): Prisma.Sql {
  return fullRows(
    Prisma.sql`SELECT u.id FROM users u WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY ${orderBy} LIMIT ${limitLiteral(take)}`,
    orderBy,
  );
}

/** The search among the first SEARCH_WALK_ROWS rows of the order (the inner LIMIT is what bounds the walk). */
function walkedPageQuery({ conditions, column, orderBy, take }: PageParts, search: Prisma.Sql): Prisma.Sql {
  return fullRows(
    Prisma.sql`SELECT u.id FROM (SELECT u.id, ${column}, u.search_text FROM users u WHERE ${Prisma.join(conditions, ' AND ')}
                                  ORDER BY ${orderBy} LIMIT ${Prisma.raw(String(SEARCH_WALK_ROWS))}) u
                WHERE ${search} ORDER BY ${orderBy} LIMIT ${limitLiteral(take)}`,
    orderBy,
  );
}

/** Every match (the trigram index finds them), then sorted: for a term the walk found too few of. */
function matchedPageQuery({ conditions, column, orderBy, take }: PageParts, search: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH matches AS MATERIALIZED (SELECT u.id, ${column} FROM users u WHERE ${Prisma.join([...conditions, search], ' AND ')})
    ${fullRows(Prisma.sql`SELECT u.id FROM matches u ORDER BY ${orderBy} LIMIT ${limitLiteral(take)}`, orderBy)}`;
}

/** The page's ids read in full, with their roles, in the page's order. */
function fullRows(pageIds: Prisma.Sql, orderBy: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT ${userProjection}
      FROM (${pageIds}) page
      JOIN users u ON u.id = page.id
     ORDER BY ${orderBy}`;
}

import type { TListUsersInput, TUser } from '@ums/contract';
import { Prisma, type SqlClient } from '@ums/db';
import { type RawUserRow, rawRowToUserView, rawUserColumns } from '../user-view.ts';
import { decodeUserCursor, encodeUserCursor, isNullableSort, isTimestampSort, type UserCursor, type UserSort } from './user-cursor.ts';

export interface UserPage {
  items: TUser[];
  nextCursor: string | null;
  total?: number;
}

// Whitelisted identifiers: the only SQL fragments not passed as parameters.
const SORT_COLUMN: Record<UserSort, Prisma.Sql> = {
  createdAt: Prisma.raw('u.created_at'),
  email: Prisma.raw('u.email'),
  fullName: Prisma.raw('u.full_name'),
  lastLoginAt: Prisma.raw('u.last_login_at'),
};

/**
 * Keyset paging over (sort column, id) — never OFFSET — so page 1000 costs what page 1 costs and rows added
 * during a walk neither repeat nor push earlier rows out. Rows whose sort column is empty come last in both
 * directions: first the rows with a value (one index range scan), then the empty ones ordered by id (another).
 */
export async function listUsers(sql: SqlClient, input: TListUsersInput): Promise<UserPage> {
  const { sort, order, limit } = input;
  const cursor = input.cursor ? decodeUserCursor(input.cursor, sort, order) : null;
  const filters = await filterConditions(sql, input);
  if (!filters) return input.includeTotal ? { items: [], nextCursor: null, total: 0 } : { items: [], nextCursor: null };

  const [rows, total] = await Promise.all([
    pageRows(sql, input, filters, cursor),
    input.includeTotal ? countUsers(sql, filters) : undefined,
  ]);
  const items = rows.slice(0, limit).map(rawRowToUserView);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeUserCursor({ sort, order, value: last[sort], id: last.id }) : null;
  return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
}

/** Up to limit + 1 rows after the cursor: the extra row only tells whether there is a next page. */
async function pageRows(sql: SqlClient, input: TListUsersInput, filters: Prisma.Sql[], cursor: UserCursor | null): Promise<RawUserRow[]> {
  const take = input.limit + 1;
  const rows: RawUserRow[] = [];
  if (cursor?.value !== null) rows.push(...(await sql.query<RawUserRow>(valuesPageQuery(input, filters, cursor, take))));
  if (isNullableSort(input.sort) && rows.length < take) {
    const afterId = cursor?.value === null ? cursor.id : null;
    rows.push(...(await sql.query<RawUserRow>(emptyValuesPageQuery(input, filters, afterId, take - rows.length))));
  }
  return rows.slice(0, take);
}

/**
 * LIMIT as a literal, rounded up to one of a few sizes (the caller keeps the rows it asked for). With a parameter
 * there, PostgreSQL's generic plan for the prepared statement assumes a tenth of the table, so it planned the page
 * query afresh on every call: ~0.4 ms of a 1.1 ms round trip. Few sizes keep the prepared statements per
 * connection few.
 */
export const LIMIT_SIZES = [21, 51, 101] as const;
function limitLiteral(rows: number): Prisma.Sql {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`not a row count: ${rows}`);
  return Prisma.raw(String(LIMIT_SIZES.find((size) => size >= rows) ?? rows));
}

/**
 * The WHERE conditions of the filters; `null` when they cannot match anyone (an unknown role, or a search term
 * with a line break: no email or name holds one, and in search_text it could only match across the two).
 */
async function filterConditions(sql: SqlClient, { search, role, isActive }: TListUsersInput): Promise<Prisma.Sql[] | null> {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (search) {
    if (search.includes(SEARCH_TEXT_SEPARATOR)) return null;
    // Substring match on search_text (lower(email), a newline, lower(full_name)), served by its trigram index; the
    // term is lowered by the same lower() and matched literally. LIKE, not ILIKE: ILIKE lowers every row it tests.
    const pattern = `%${escapeLikePattern(search)}%`;
    conditions.push(Prisma.sql`u.search_text LIKE lower(${pattern})`);
  }
  if (role) {
    // The role's id as a literal lets the planner weigh how common the role is (a rare role is read from user_roles).
    const [found] = await sql.query<{ id: string }>(Prisma.sql`SELECT id FROM roles WHERE name = ${role}`);
    if (!found) return null;
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_id = ${found.id}::uuid)`);
  }
  if (isActive !== undefined) conditions.push(Prisma.sql`u.is_active = ${isActive}`);
  return conditions;
}

/** What the users_search_text migration puts between the lowered email and the lowered name. */
const SEARCH_TEXT_SEPARATOR = '\n';

/** `%`, `_` and `\` are LIKE syntax; escaped, the search term is plain text (backslash is LIKE's default escape). */
export const escapeLikePattern = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * The rows with a sort value, after the cursor. ORDER BY keeps PostgreSQL's default null placement for the
 * direction so the (column, id) index is read as is; the IS NOT NULL condition makes that placement moot.
 */
function valuesPageQuery(input: TListUsersInput, filters: Prisma.Sql[], cursor: UserCursor | null, take: number): Prisma.Sql {
  const column = SORT_COLUMN[input.sort];
  const conditions = [...filters];
  if (isNullableSort(input.sort)) conditions.push(Prisma.sql`${column} IS NOT NULL`);
  // email is unique: it orders rows on its own, and its unique index serves the walk.
  const uniqueSort = input.sort === 'email';
  if (cursor?.value != null) {
    const after = input.order === 'asc' ? Prisma.raw('>') : Prisma.raw('<');
    const value = isTimestampSort(input.sort) ? Prisma.sql`${cursor.value}::timestamptz` : Prisma.sql`${cursor.value}`;
    conditions.push(
      uniqueSort ? Prisma.sql`${column} ${after} ${value}` : Prisma.sql`(${column}, u.id) ${after} (${value}, ${cursor.id}::uuid)`,
    );
  }
  const direction = input.order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
  return pageQuery(
    conditions,
    uniqueSort ? Prisma.sql`${column} ${direction}` : Prisma.sql`${column} ${direction}, u.id ${direction}`,
    take,
  );
}

/** The rows without a sort value, by id, after `afterId`; ordering by the (empty) column too lets the index serve it. */
function emptyValuesPageQuery(input: TListUsersInput, filters: Prisma.Sql[], afterId: string | null, take: number): Prisma.Sql {
  const column = SORT_COLUMN[input.sort];
  const conditions = [...filters, Prisma.sql`${column} IS NULL`];
  if (afterId) conditions.push(input.order === 'asc' ? Prisma.sql`u.id > ${afterId}::uuid` : Prisma.sql`u.id < ${afterId}::uuid`);
  const direction = input.order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
  return pageQuery(conditions, Prisma.sql`${column} ${direction}, u.id ${direction}`, take);
}

/**
 * One round trip per page: the keyset scan picks the ids, then only those rows are read in full with their
 * roles. The columns are listed explicitly (the User object's, nothing secret).
 */
function pageQuery(conditions: Prisma.Sql[], orderBy: Prisma.Sql, take: number): Prisma.Sql {
  return Prisma.sql`
    SELECT ${rawUserColumns}
      FROM (SELECT u.id FROM users u WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY ${orderBy} LIMIT ${limitLiteral(take)}) page
      JOIN users u ON u.id = page.id
     ORDER BY ${orderBy}`;
}

async function countUsers(sql: SqlClient, filters: Prisma.Sql[]): Promise<number> {
  const [row] = await sql.query<{ total: number }>(
    Prisma.sql`SELECT count(*)::int AS total FROM users u WHERE ${Prisma.join(filters, ' AND ')}`,
  );
  return row?.total ?? 0;
}

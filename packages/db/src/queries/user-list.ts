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
  const conditions = await filterConditions(db, query.filter);
  if (!conditions) return query.withTotal ? { rows: [], total: 0 } : { rows: [] };
  const [rows, total] = await Promise.all([pageRows(db, query, conditions), query.withTotal ? countUsers(db, conditions) : undefined]);
  return total === undefined ? { rows } : { rows, total };
}

async function pageRows(db: DbHandle, { order, after, take }: UserPageQuery, conditions: Prisma.Sql[]): Promise<UserRow[]> {
  const rows: UserRow[] = [];
  if (after?.value !== null) rows.push(...(await db.query<UserRow>(valuesPageQuery(order, conditions, after, take))));
  if (isNullableSort(order.sort) && rows.length < take) {
    const afterId = after?.value === null ? after.id : null;
    rows.push(...(await db.query<UserRow>(emptyValuesPageQuery(order, conditions, afterId, take - rows.length))));
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
async function filterConditions(db: DbHandle, { search, role, isActive }: UserListFilter): Promise<Prisma.Sql[] | null> {
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
    const [found] = await db.query<{ id: string }>(Prisma.sql`SELECT id FROM roles WHERE name = ${role}`);
    if (!found) return null;
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_id = ${found.id}::uuid)`);
  }
  if (isActive !== undefined) conditions.push(Prisma.sql`u.is_active = ${isActive}`);
  return conditions;
}

/**
 * The rows with a sort value, after the position. ORDER BY keeps PostgreSQL's default null placement for the
 * direction so the (column, id) index is read as is; the IS NOT NULL condition makes that placement moot.
 */
function valuesPageQuery({ sort, order }: UserListOrder, filters: Prisma.Sql[], after: UserListPosition | null, take: number): Prisma.Sql {
  const column = SORT_COLUMN[sort];
  const conditions = [...filters];
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
  return pageQuery(
    conditions,
    uniqueSort ? Prisma.sql`${column} ${direction}` : Prisma.sql`${column} ${direction}, u.id ${direction}`,
    take,
  );
}

/** The rows without a sort value, by id, after `afterId`; ordering by the (empty) column too lets the index serve it. */
function emptyValuesPageQuery({ sort, order }: UserListOrder, filters: Prisma.Sql[], afterId: string | null, take: number): Prisma.Sql {
  const column = SORT_COLUMN[sort];
  const conditions = [...filters, Prisma.sql`${column} IS NULL`];
  if (afterId) conditions.push(order === 'asc' ? Prisma.sql`u.id > ${afterId}::uuid` : Prisma.sql`u.id < ${afterId}::uuid`);
  const direction = order === 'asc' ? Prisma.raw('ASC') : Prisma.raw('DESC');
  return pageQuery(conditions, Prisma.sql`${column} ${direction}, u.id ${direction}`, take);
}

/** One round trip per page: the keyset scan picks the ids, then only those rows are read in full with their roles. */
function pageQuery(conditions: Prisma.Sql[], orderBy: Prisma.Sql, take: number): Prisma.Sql {
  return Prisma.sql`
    SELECT ${userProjection}
      FROM (SELECT u.id FROM users u WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY ${orderBy} LIMIT ${limitLiteral(take)}) page
      JOIN users u ON u.id = page.id
     ORDER BY ${orderBy}`;
}

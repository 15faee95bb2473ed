import type { TListUsersInput, TUserList } from '@ums/contract';
import { selectUserPage } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { decodeUserCursor, encodeUserCursor } from './user-cursor.ts';

/**
 * A page of users: search, filters, one of four orders, cursor paging (never OFFSET, so a deep page costs what
 * page 1 costs). Rows whose sort column is empty come last in both directions.
 */
export async function listUsers({ db }: Pick<ServiceDeps, 'db'>, input: TListUsersInput): Promise<TUserList> {
  const { sort, order, limit, search, role, isActive } = input;
  const cursor = input.cursor ? decodeUserCursor(input.cursor, sort, order) : null;
  // One row more than the page tells whether there is a next one.
  const { rows, total } = await selectUserPage(db, {
    filter: { search, role, isActive },
    order: { sort, order },
    after: cursor,
    take: limit + 1,
    withTotal: input.includeTotal === true,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeUserCursor({ sort, order, value: last[sort], id: last.id }) : null;
  return total === undefined ? { items, nextCursor } : { items, nextCursor, total };
}

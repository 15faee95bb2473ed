import type { TListUsersInput } from '@ums/contract';
import { isNullableSort, isTimestampSort } from '@ums/db';
import { z } from 'zod';
import { fieldError } from '../../app-error.ts';

export type UserSort = TListUsersInput['sort'];
export type SortOrder = TListUsersInput['order'];

/**
 * A position in one ordering of the user list: the sort value and id of the last row shown. `value: null` means
 * the walk has reached the rows whose sort column is empty (they always come last, whatever the direction).
 * Sort and order travel with it so a cursor cannot be replayed against another ordering.
 */
export interface UserCursor {
  sort: UserSort;
  order: SortOrder;
  value: string | null;
  id: string;
}

const ZCursorPayload = z.strictObject({
  s: z.enum(['createdAt', 'email', 'fullName', 'lastLoginAt']),
  o: z.enum(['asc', 'desc']),
  v: z.string().max(400).nullable(),
  i: z.uuid(),
});

export function encodeUserCursor(cursor: UserCursor): string {
  const payload: z.infer<typeof ZCursorPayload> = { s: cursor.sort, o: cursor.order, v: cursor.value, i: cursor.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The cursor a client got from a previous page of the same ordering; anything else is a 400 on `cursor`. */
export function decodeUserCursor(text: string, sort: UserSort, order: SortOrder): UserCursor {
  const payload = ZCursorPayload.safeParse(parseJson(Buffer.from(text, 'base64url').toString('utf8')));
  if (!payload.success) throw fieldError(['cursor'], 'is not a cursor returned by this list');
  const { s, o, v, i } = payload.data;
  if (s !== sort || o !== order) throw fieldError(['cursor'], 'belongs to another sort or order; start again without a cursor');
  if (v === null ? !isNullableSort(s) : !isValidSortValue(s, v)) throw fieldError(['cursor'], 'is not a cursor returned by this list');
  return { sort: s, order: o, value: v, id: i };
}

const isValidSortValue = (sort: UserSort, value: string) => !isTimestampSort(sort) || z.iso.datetime().safeParse(value).success;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

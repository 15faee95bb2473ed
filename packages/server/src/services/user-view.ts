import type { TUser } from '@ums/contract';
import { Prisma } from '@ums/db';

/** The columns a User object is made of: an explicit select, so no secret column can leak into a response. */
export const userSelect = {
  id: true,
  email: true,
  fullName: true,
  phoneNumber: true,
  timezone: true,
  locale: true,
  avatarUrl: true,
  bio: true,
  isActive: true,
  createdAt: true,
  updatedAt: true,
  lastLoginAt: true,
  deactivatedAt: true,
  version: true,
  roles: { select: { role: { select: { name: true } } }, orderBy: { role: { name: 'asc' } } },
} as const satisfies Prisma.UserSelect;

export type UserRow = Prisma.UserGetPayload<{ select: typeof userSelect }>;

export function toUserView(row: UserRow): TUser {
  return rawRowToUserView({ ...row, roles: row.roles.map((link) => link.role.name) });
}

/** A timestamptz(3) column as the ISO-8601 text `Date.prototype.toISOString` makes: no Date per value on the way out. */
const isoText = (column: string, name: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${name}"`;

/**
 * `userSelect` for raw SQL over `users u`: the same columns, named as the User object names them, with the role
 * names in one array and the timestamps already in their wire format — so hot paths read a whole user in the query
 * they already make, and a page of users costs no date parsing. A fixed string, no input.
 */
export const rawUserColumns = Prisma.raw(`
  u.id, u.email, u.full_name AS "fullName", u.phone_number AS "phoneNumber", u.timezone, u.locale,
  u.avatar_url AS "avatarUrl", u.bio, u.is_active AS "isActive", ${isoText('u.created_at', 'createdAt')},
  ${isoText('u.updated_at', 'updatedAt')}, ${isoText('u.last_login_at', 'lastLoginAt')},
  ${isoText('u.deactivated_at', 'deactivatedAt')}, u.version,
  ARRAY(SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id ORDER BY r.name) AS roles`);

/** A row of `rawUserColumns` (timestamps as ISO text), or a Prisma user row mapped to it (timestamps as Date). */
export interface RawUserRow {
  id: string;
  email: string;
  fullName: string | null;
  phoneNumber: string | null;
  timezone: string | null;
  locale: string | null;
  avatarUrl: string | null;
  bio: string | null;
  isActive: boolean;
  roles: string[];
  createdAt: Date | string;
  updatedAt: Date | string;
  lastLoginAt: Date | string | null;
  deactivatedAt: Date | string | null;
  version: number;
}

const iso = (value: Date | string) => (typeof value === 'string' ? value : value.toISOString());
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

export function rawRowToUserView(row: RawUserRow): TUser {
  return {
    id: row.id,
    email: row.email,
    fullName: row.fullName,
    phoneNumber: row.phoneNumber,
    timezone: row.timezone,
    locale: row.locale,
    avatarUrl: row.avatarUrl,
    bio: row.bio,
    isActive: row.isActive,
    roles: row.roles,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    lastLoginAt: isoOrNull(row.lastLoginAt),
    deactivatedAt: isoOrNull(row.deactivatedAt),
    version: Number(row.version),
  };
}

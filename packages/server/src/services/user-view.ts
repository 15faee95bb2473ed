import type { TUser } from '@ums/contract';
import type { Prisma } from '@ums/db';

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
    roles: row.roles.map((link) => link.role.name),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
    version: row.version,
  };
}

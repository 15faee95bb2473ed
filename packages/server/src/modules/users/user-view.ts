import type { TUser } from '@ums/contract';
import type { UserRow } from '@ums/db';

/** The API's User is the one user projection with its timestamps in ISO-8601. */
export function toUserView({ createdAt, updatedAt, lastLoginAt, deactivatedAt, ...fields }: UserRow): TUser {
  return {
    ...fields,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    lastLoginAt: lastLoginAt?.toISOString() ?? null,
    deactivatedAt: deactivatedAt?.toISOString() ?? null,
  };
}

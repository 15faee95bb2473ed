import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

/** Every permission the user's roles grant: what an impersonator must all hold themselves. */
export async function selectUserPermissions(db: DbHandle, userId: string): Promise<string[]> {
  const rows = await db.query<{ permission: string }>(Prisma.sql`
    SELECT DISTINCT rp.permission
      FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
     WHERE ur.user_id = ${userId}::uuid
     ORDER BY rp.permission`);
  return rows.map((row) => row.permission);
}

export interface NewImpersonationSession {
  userId: string;
  impersonatorId: string;
  ip: string | null;
  userAgent: string | null;
  expiresAt: Date;
}

/**
 * A session of `userId` that `impersonatorId` acts in: no refresh token (it cannot be renewed), no factor methods
 * (it proved none of the user's). Returns its id.
 */
export async function insertImpersonationSession(tx: DbHandle, session: NewImpersonationSession): Promise<string> {
  const created = await tx.prisma.userSession.create({ data: { ...session, methods: [] }, select: { id: true } });
  return created.id;
}

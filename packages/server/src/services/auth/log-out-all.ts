import type { PrismaClient } from '@ums/db';
import { type AuditActor, recordAudit } from '../audit.ts';
import { revokeUserSessions } from '../sessions.ts';

/** Ends every session of the caller, the current one included ("sign out everywhere"). */
export async function logOutAll(db: PrismaClient, { userId, actor }: { userId: string; actor: AuditActor }): Promise<void> {
  await db.$transaction(async (tx) => {
    const revoked = await revokeUserSessions(tx, userId, 'logout all');
    await recordAudit(tx, actor, {
      action: 'auth.logout_all',
      targetType: 'user',
      targetId: userId,
      changes: { liveSessions: { from: revoked, to: 0 } },
    });
  });
}

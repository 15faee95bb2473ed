import type { PrismaClient } from '@ums/db';
import { type AuditActor, recordAudit } from '../audit.ts';

/** Ends the caller's current session: its access token and refresh tokens stop working on the next request. */
export async function logOut(db: PrismaClient, { sessionId, actor }: { sessionId: string; actor: AuditActor }): Promise<void> {
  await db.$transaction(async (tx) => {
    const revokedAt = new Date();
    const revoked = await tx.userSession.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt, revokedReason: 'logout' },
    });
    if (revoked.count === 0) return;
    await recordAudit(tx, actor, {
      action: 'auth.logout',
      targetType: 'session',
      targetId: sessionId,
      changes: { revokedAt: { from: null, to: revokedAt.toISOString() } },
    });
  });
}

import type { PrismaClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import { type AuditActor, recordAudit } from '../audit.ts';

/**
 * Ends one of the caller's own sessions (the current one included: that is a sign-out). Someone else's session
 * id is answered exactly like an unknown one, 404, so session ids cannot be probed. Already ended → no-op.
 */
export async function revokeSession(
  db: PrismaClient,
  actor: AuditActor,
  { userId, sessionId }: { userId: string; sessionId: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const session = await tx.userSession.findFirst({ where: { id: sessionId, userId }, select: { id: true } });
    if (!session) throw new AppError('NOT_FOUND', 'No such session');
    const revokedAt = new Date();
    const revoked = await tx.userSession.updateMany({
      where: { id: sessionId, userId, revokedAt: null },
      data: { revokedAt, revokedReason: 'revoked by user' },
    });
    if (revoked.count === 0) return;
    await recordAudit(tx, actor, {
      action: 'session.revoked',
      targetType: 'session',
      targetId: sessionId,
      changes: { revokedAt: { from: null, to: revokedAt.toISOString() } },
    });
  });
}

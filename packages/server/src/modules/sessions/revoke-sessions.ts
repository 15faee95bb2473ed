import { type DbHandle, revokeSessions, type SessionScope } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';

/**
 * The one way a session ends with its own audit event, inside the caller's transaction: the live sessions in
 * `scope` are revoked for `reason`, and `action` is recorded against the session (or the user, for all of a
 * user's sessions). Nothing live in scope → no event, unless `auditAlways` (a refused refresh token is recorded
 * whether or not its session was still live). Returns how many were live.
 */
export async function revokeSessionsAudited(
  { actor }: Pick<ServiceDeps, 'actor'>,
  {
    tx,
    scope,
    reason,
    action,
    auditAlways = false,
  }: { tx: DbHandle; scope: SessionScope; reason: string; action: string; auditAlways?: boolean },
): Promise<number> {
  const revokedAt = new Date();
  const revoked = await revokeSessions(tx, scope, { reason, at: revokedAt });
  if (revoked === 0 && !auditAlways) return 0;
  if ('sessionId' in scope) {
    await recordAudit(tx, actor, {
      action,
      targetType: 'session',
      targetId: scope.sessionId,
      changes: revoked > 0 ? { revokedAt: { from: null, to: revokedAt.toISOString() } } : {},
    });
  } else {
    await recordAudit(tx, actor, {
      action,
      targetType: 'user',
      targetId: scope.userId,
      changes: { liveSessions: { from: revoked, to: 0 } },
    });
  }
  return revoked;
}

import type { ServiceDeps } from '../service-deps.ts';
import { revokeSessionsAudited } from '../sessions/revoke-sessions.ts';
import { lockUser } from './lock-user.ts';
import { selfSessionRevocation } from './user-errors.ts';

/**
 * An administrator ends every live session of a user (who stays active and may sign in again), audited as
 * `user.sessions_revoked`. A user without live sessions is a success that changes nothing (no event).
 */
export async function revokeUserSessions(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { id, callerId }: { id: string; callerId: string },
): Promise<{ revoked: number }> {
  if (id.toLowerCase() === callerId.toLowerCase()) throw selfSessionRevocation();
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, { id });
    const revoked = await revokeSessionsAudited(deps, {
      tx,
      scope: { userId: id },
      reason: 'revoked by an administrator',
      action: 'user.sessions_revoked',
    });
    return { revoked };
  });
}

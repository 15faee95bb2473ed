import { sessionExists } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { revokeSessionsAudited } from './revoke-sessions.ts';
import { sessionNotFound } from './session-errors.ts';

/**
 * Ends one of the caller's own sessions (the current one included: that is a sign-out). Someone else's session
 * id is answered exactly like an unknown one, 404, so session ids cannot be probed. Already ended → no-op.
 */
export async function revokeSession(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { userId, sessionId }: { userId: string; sessionId: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await sessionExists(tx, { sessionId, userId }))) throw sessionNotFound();
    await revokeSessionsAudited(deps, { tx, scope: { sessionId, userId }, reason: 'revoked by user', action: 'session.revoked' });
  });
}

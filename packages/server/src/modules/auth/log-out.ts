import type { ServiceDeps } from '../service-deps.ts';
import { revokeSessionsAudited } from '../sessions/revoke-sessions.ts';

/** Ends the caller's current session: its access token and refresh tokens stop working on the next request. */
export async function logOut(deps: Pick<ServiceDeps, 'db' | 'actor'>, { sessionId }: { sessionId: string }): Promise<void> {
  await deps.db.transaction((tx) => revokeSessionsAudited(deps, { tx, scope: { sessionId }, reason: 'logout', action: 'auth.logout' }));
}

import type { ServiceDeps } from '../service-deps.ts';
import { revokeSessionsAudited } from '../sessions/revoke-sessions.ts';

/** Ends every session of the caller, the current one included ("sign out everywhere"). */
export async function logOutAll(deps: Pick<ServiceDeps, 'db' | 'actor'>, { userId }: { userId: string }): Promise<void> {
  await deps.db.transaction((tx) =>
    revokeSessionsAudited(deps, { tx, scope: { userId }, reason: 'logout all', action: 'auth.logout_all', auditAlways: true }),
  );
}

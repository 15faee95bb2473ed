import { authMethods, type TAuthMethod, type TSessionList } from '@ums/contract';
import { selectLiveSessions } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';

/** The caller's live sessions (not revoked, not expired), most recently used first, the calling one marked. */
export async function listSessions(
  { db }: Pick<ServiceDeps, 'db'>,
  { userId, currentSessionId }: { userId: string; currentSessionId: string },
): Promise<TSessionList> {
  const rows = await selectLiveSessions(db, userId);
  return {
    items: rows.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt.toISOString(),
      authenticatedAt: row.authenticatedAt.toISOString(),
      methods: row.methods.filter(isAuthMethod),
      current: row.id === currentSessionId,
    })),
  };
}

const isAuthMethod = (method: string): method is TAuthMethod => (authMethods as readonly string[]).includes(method);

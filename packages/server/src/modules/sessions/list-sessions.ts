import type { TSessionList } from '@ums/contract';
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
      current: row.id === currentSessionId,
    })),
  };
}

import type { PrismaClient } from '@ums/db';

export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/** The caller's live sessions (not revoked, not expired), most recently used first, the calling one marked. */
export async function listSessions(
  db: PrismaClient,
  { userId, currentSessionId }: { userId: string; currentSessionId: string },
): Promise<{ items: SessionView[] }> {
  const rows = await db.userSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ lastUsedAt: 'desc' }, { id: 'asc' }],
    select: { id: true, createdAt: true, lastUsedAt: true, ip: true, userAgent: true },
  });
  return {
    items: rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt.toISOString(),
      ip: row.ip,
      userAgent: row.userAgent,
      current: row.id === currentSessionId,
    })),
  };
}

import type { Prisma, PrismaClient } from '@ums/db';

type FindArgs = Omit<Prisma.AuditEventFindManyArgs, 'select' | 'include'>;

/** An audit event as it reads in full: the row with its personal part (changes, ip, user agent) put back. */
export type FullAuditEvent = Awaited<ReturnType<typeof findAuditEvents>>[number];

/**
 * Audit events with their personal parts (audit_event_personal_data) joined back in, in the shape audit.list
 * shows: `changes` `{}` and `ip`/`userAgent` null when there are none (or their person was erased).
 */
export async function findAuditEvents(db: { prisma: PrismaClient }, args: FindArgs = {}) {
  const rows = await db.prisma.auditEvent.findMany({ ...args, include: { personalData: true } });
  return rows.map(({ personalData, ...event }) => {
    const part = (name: string) => personalData.find((p) => p.part === name)?.data as Record<string, unknown> | undefined;
    const request = part('request');
    return {
      ...event,
      changes: (part('changes') ?? {}) as Prisma.JsonValue,
      ip: (request?.ip ?? null) as string | null,
      userAgent: (request?.userAgent ?? null) as string | null,
    };
  });
}

export async function findAuditEvent(db: { prisma: PrismaClient }, args: FindArgs = {}): Promise<FullAuditEvent | null> {
  return (await findAuditEvents(db, { ...args, take: 1 }))[0] ?? null;
}

export async function findAuditEventOrThrow(db: { prisma: PrismaClient }, args: FindArgs = {}): Promise<FullAuditEvent> {
  const event = await findAuditEvent(db, args);
  if (!event) throw new Error(`no audit event matches ${JSON.stringify(args.where)}`);
  return event;
}

/** A `where` on an event's changes, as Prisma filters JSON: `changes: { path, equals }` on the personal part. */
export const changesMatch = (filter: Prisma.JsonFilter<'AuditEventPersonalData'>): Prisma.AuditEventWhereInput => ({
  personalData: { some: { part: 'changes', data: filter } },
});

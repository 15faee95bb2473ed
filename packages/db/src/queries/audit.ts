import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

/** One audit event as it is stored: already redacted by the caller. */
export interface AuditEventInsert {
  id: string;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** During an impersonation: the administrator acting as the actor. */
  impersonatorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  changes: Record<string, unknown>;
}

export interface AuditEventRow extends Omit<AuditEventInsert, 'changes'> {
  at: Date;
  changes: unknown;
}

/**
 * The one INSERT of an audit event. `guard` (a WHERE clause) lets a writer put it inside the statement of its
 * change, so the event is written exactly when the change is.
 */
export function auditEventInsert(event: AuditEventInsert, guard: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO audit_events (id, actor_id, ip, user_agent, request_id, action, target_type, target_id, changes, impersonator_id)
    SELECT ${event.id}::uuid, ${event.actorId}::uuid, ${event.ip}, ${event.userAgent}, ${event.requestId}, ${event.action},
           ${event.targetType}, ${event.targetId}, ${JSON.stringify(event.changes)}::jsonb, ${event.impersonatorId}::uuid
    ${guard}`;
}

/** Writes one audit event on the handle: inside the change's transaction, it commits or fails with the change. */
export async function insertAuditEvent(db: DbHandle, event: AuditEventInsert): Promise<void> {
  await db.execute(auditEventInsert(event));
}

export interface AuditEventFilter {
  actorId?: string | undefined;
  targetId?: string | undefined;
  action?: string | undefined;
  /** Inclusive. */
  from?: Date | undefined;
  /** Exclusive. */
  to?: Date | undefined;
  /** The (at, id) of the last event already shown. */
  after?: { at: Date; id: string } | undefined;
}

/**
 * Up to `limit` events, newest first, keyset-paged on (at DESC, id DESC). Each filter has an index led by its column
 * and followed by (at DESC, id DESC), so a page is an index range scan whatever its depth. Only the present filters
 * are in the WHERE clause: one prepared statement per filter combination.
 */
export async function selectAuditEvents(db: DbHandle, filter: AuditEventFilter, limit: number): Promise<AuditEventRow[]> {
  const { actorId, targetId, action, from, to, after } = filter;
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (actorId !== undefined) conditions.push(Prisma.sql`actor_id = ${actorId}::uuid`);
  if (targetId !== undefined) conditions.push(Prisma.sql`target_id = ${targetId}`);
  if (action !== undefined) conditions.push(Prisma.sql`action = ${action}`);
  if (from) conditions.push(Prisma.sql`at >= ${from}`);
  if (to) conditions.push(Prisma.sql`at < ${to}`);
  if (after) conditions.push(Prisma.sql`(at, id) < (${after.at}, ${after.id}::uuid)`);
  return db.query<AuditEventRow>(Prisma.sql`
    SELECT id, at, actor_id AS "actorId", action, target_type AS "targetType", target_id AS "targetId", changes, ip,
           user_agent AS "userAgent", request_id AS "requestId", impersonator_id AS "impersonatorId"
      FROM audit_events
     WHERE ${Prisma.join(conditions, ' AND ')}
     ORDER BY at DESC, id DESC
     LIMIT ${limit}`);
}

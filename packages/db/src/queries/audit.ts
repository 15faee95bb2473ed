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
 * The one INSERT of an audit event: who, what, when and ids. `guard` (a WHERE clause) lets a writer put it inside
 * the statement of its change, so the event is written exactly when the change is. Its personal part goes to
 * audit_event_personal_data: use `auditedEventCtes`, which writes both.
 */
export function auditEventInsert(event: AuditEventInsert, guard: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO audit_events (id, actor_id, request_id, action, target_type, target_id, impersonator_id)
    SELECT ${event.id}::uuid, ${event.actorId}::uuid, ${event.requestId}, ${event.action}, ${event.targetType}, ${event.targetId},
           ${event.impersonatorId}::uuid
    ${guard}`;
}

/**
 * The personal parts of an event and the person each is about, so that erasing that person deletes them:
 * the client's address and user agent belong to the actor (or, without one, to the user the event is about);
 * the field changes to the user the event is about (null when it is about a role or a webhook: no person).
 */
export function personalPartsOf(event: AuditEventInsert): { part: 'request' | 'changes'; subject_id: string | null; data: unknown }[] {
  const aboutUser = event.targetType === 'user' ? event.targetId : null;
  const parts: { part: 'request' | 'changes'; subject_id: string | null; data: unknown }[] = [];
  if (event.ip !== null || event.userAgent !== null) {
    parts.push({ part: 'request', subject_id: event.actorId ?? aboutUser, data: { ip: event.ip, userAgent: event.userAgent } });
  }
  if (Object.keys(event.changes).length > 0) parts.push({ part: 'changes', subject_id: aboutUser, data: event.changes });
  return parts;
}

/**
 * `audited AS (…the event… RETURNING id, at), audited_personal AS (…its personal parts…)`: the CTEs of a statement
 * that writes an event; its personal parts are written only if the event is (so `guard` holds for both).
 */
export function auditedEventCtes(event: AuditEventInsert, guard: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`audited AS (${auditEventInsert(event, guard)} RETURNING id, at),
    audited_personal AS (
      INSERT INTO audit_event_personal_data (event_id, part, subject_id, data)
      SELECT a.id, x.part, x.subject_id, x.data
        FROM audited a CROSS JOIN jsonb_to_recordset(${JSON.stringify(personalPartsOf(event))}::jsonb) AS x(part text, subject_id uuid, data jsonb)
    )`;
}

/** Writes one audit event on the handle: inside the change's transaction, it commits or fails with the change. */
export async function insertAuditEvent(db: DbHandle, event: AuditEventInsert): Promise<void> {
  await db.execute(Prisma.sql`WITH ${auditedEventCtes(event)} SELECT 1`);
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
    SELECT id, at, actor_id AS "actorId", action, target_type AS "targetType", target_id AS "targetId",
           COALESCE(c.data, '{}'::jsonb) AS changes, r.data->>'ip' AS ip, r.data->>'userAgent' AS "userAgent",
           request_id AS "requestId", impersonator_id AS "impersonatorId"
      FROM audit_events
      -- The personal parts: gone once their person is erased (the event then shows no changes, ip or user agent).
      LEFT JOIN audit_event_personal_data r ON r.event_id = id AND r.part = 'request'
      LEFT JOIN audit_event_personal_data c ON c.event_id = id AND c.part = 'changes'
     WHERE ${Prisma.join(conditions, ' AND ')}
     ORDER BY at DESC, id DESC
     LIMIT ${limit}`);
}

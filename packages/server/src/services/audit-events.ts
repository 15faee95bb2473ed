import type { TAuditEvent, TListAuditInput } from '@ums/contract';
import { Prisma, type SqlClient } from '@ums/db';
import { fieldError } from '../errors.ts';

/** An audit_events row as the raw query names it; timestamps arrive as Date (node-postgres) or string (PGlite). */
interface AuditEventRow {
  id: string;
  at: Date | string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  changes: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** Where a page ended: the (at, id) of its last event, the same order the indexes keep. */
interface Position {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeAuditCursor = ({ at, id }: Position): string =>
  Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

export function decodeAuditCursor(cursor: string): Position {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw fieldError(['cursor'], 'is not a cursor this API returned');
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [at, id] = decoded;
    if (typeof at === 'string' && typeof id === 'string' && UUID.test(id) && !Number.isNaN(Date.parse(at))) {
      return { at: new Date(at), id };
    }
  }
  throw fieldError(['cursor'], 'is not a cursor this API returned');
}

/**
 * The audit trail, newest first, `from` inclusive and `to` exclusive. Keyset paging on (at DESC, id DESC): each
 * filter has an index led by its column and followed by (at DESC, id DESC), so a page is an index range scan
 * whatever its depth. An actor or target combined with an action stays a range scan only with the
 * (actor_id | target_id, action, at DESC, id DESC) indexes; without them such a pair that rarely matches scans
 * every event of the busier side.
 */
export async function listAuditEvents(
  sql: SqlClient,
  { actorId, targetId, action, from, to, limit, cursor }: TListAuditInput,
): Promise<{ items: TAuditEvent[]; nextCursor: string | null }> {
  const fromDate = from === undefined ? undefined : new Date(from);
  const toDate = to === undefined ? undefined : new Date(to);
  if (fromDate && toDate && toDate < fromDate) throw fieldError(['to'], 'must not be earlier than from');
  const after = cursor === undefined ? undefined : decodeAuditCursor(cursor);

  // Raw SQL rather than findMany: one prepared statement per filter combination, without the query compiler's
  // per-call work (~8 % of this call in a profile). Only the present filters are in the WHERE clause.
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (actorId !== undefined) conditions.push(Prisma.sql`actor_id = ${actorId}::uuid`);
  if (targetId !== undefined) conditions.push(Prisma.sql`target_id = ${targetId}`);
  if (action !== undefined) conditions.push(Prisma.sql`action = ${action}`);
  if (fromDate) conditions.push(Prisma.sql`at >= ${fromDate}`);
  if (toDate) conditions.push(Prisma.sql`at < ${toDate}`);
  if (after) conditions.push(Prisma.sql`(at, id) < (${after.at}, ${after.id}::uuid)`);
  const rows = await sql.query<AuditEventRow>(Prisma.sql`
    SELECT id, at, actor_id AS "actorId", action, target_type AS "targetType", target_id AS "targetId", changes, ip,
           user_agent AS "userAgent", request_id AS "requestId"
      FROM audit_events
     WHERE ${Prisma.join(conditions, ' AND ')}
     ORDER BY at DESC, id DESC
     LIMIT ${limit + 1}`);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEventView),
    nextCursor: rows.length > limit && last ? encodeAuditCursor({ at: new Date(last.at), id: last.id }) : null,
  };
}

function toAuditEventView(row: AuditEventRow): TAuditEvent {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actorId: row.actorId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    changes: isChanges(row.changes) ? row.changes : {},
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
  };
}

const isChanges = (value: unknown): value is TAuditEvent['changes'] =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((change) => typeof change === 'object' && change !== null && 'from' in change && 'to' in change);

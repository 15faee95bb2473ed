import type { TAuditEvent, TAuditListItem, TListAuditInput } from '@ums/contract';
import { type AuditEventRow, selectAuditEvents } from '@ums/db';
import { fieldError } from '../../app-error.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.ts';
import { withPeople } from './audit-people.ts';

/** audit.list: the trail as `readAuditEvents` pages it, each event naming its actor and target as people. */
export async function listAuditEvents(
  { db }: Pick<ServiceDeps, 'db'>,
  input: TListAuditInput,
): Promise<{ items: TAuditListItem[]; nextCursor: string | null }> {
  const page = await readAuditEvents({ db }, input);
  return { items: await withPeople(db, page.items), nextCursor: page.nextCursor };
}

/**
 * The audit trail, newest first, `from` inclusive and `to` exclusive, keyset-paged: the stored events only, without
 * the people they name (an export holds the person's own data, not other people's names and addresses).
 */
export async function readAuditEvents(
  { db }: Pick<ServiceDeps, 'db'>,
  { actorId, targetId, action, from, to, limit, cursor }: TListAuditInput,
): Promise<{ items: TAuditEvent[]; nextCursor: string | null }> {
  const fromDate = from === undefined ? undefined : new Date(from);
  const toDate = to === undefined ? undefined : new Date(to);
  if (fromDate && toDate && toDate < fromDate) throw fieldError(['to'], 'must not be earlier than from');
  const after = cursor === undefined ? undefined : decodeAuditCursor(cursor);
  // One row more than the page tells whether there is a next one.
  const rows = await selectAuditEvents(db, { actorId, targetId, action, from: fromDate, to: toDate, after }, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toAuditEventView),
    nextCursor: rows.length > limit && last ? encodeAuditCursor(last) : null,
  };
}

function toAuditEventView(row: AuditEventRow): TAuditEvent {
  return { ...row, at: row.at.toISOString(), changes: isChanges(row.changes) ? row.changes : {} };
}

const isChanges = (value: unknown): value is TAuditEvent['changes'] =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((change) => typeof change === 'object' && change !== null && 'from' in change && 'to' in change);

import { randomUUID } from 'node:crypto';
import { type AuditEventInsert, type DbHandle, insertAuditEvent } from '@ums/db';

/** Who did it, from where: recorded with every event. */
export interface AuditActor {
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  changes?: FieldChanges;
}

const SECRET_FIELD = /password|hash|token|secret/i;
const REDACTED = '[redacted]';

/**
 * Writes one audit event inside the caller's transaction: if it fails, the change fails with it.
 * Fields whose name looks secret are recorded as changed but never with their values.
 */
export async function recordAudit(tx: DbHandle, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await insertAuditEvent(tx, auditEvent(actor, entry));
}

/** The stored event of one entry, redacted: for a writer that inserts it in the same statement as its change. */
export function auditEvent(actor: AuditActor, entry: AuditEntry): AuditEventInsert {
  return {
    id: randomUUID(),
    actorId: actor.actorId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    requestId: actor.requestId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    changes: redact(entry.changes ?? {}),
  };
}

/** Field-level `{ from, to }` for the fields whose value differs (compared as JSON). */
export function diffFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
  fields: readonly (keyof T & string)[],
): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    if (!(field in after)) continue;
    const from = normalise(before[field]);
    const to = normalise(after[field]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

const normalise = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));

function redact(changes: FieldChanges): FieldChanges {
  const safe: FieldChanges = {};
  for (const [field, change] of Object.entries(changes)) {
    safe[field] = SECRET_FIELD.test(field) ? { from: REDACTED, to: REDACTED } : change;
  }
  return safe;
}

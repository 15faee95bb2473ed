import { randomUUID } from 'node:crypto';
import { type AuditEventInsert, type DbHandle, insertAuditEvent, insertAuditEventWithWebhooks, type WebhookEventSubject } from '@ums/db';
import { webhookEventOf } from '../webhooks/webhook-event-types.ts';

/** Who did it, from where: recorded with every event. */
export interface AuditActor {
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** During an impersonation: the administrator acting as `actorId` (set from the session, trpc/procedures.ts). */
  impersonatorId?: string | null;
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
 * Fields whose name looks secret are recorded as changed but never with their values. When the action is a
 * webhook event, the same statement writes a delivery for each subscribed endpoint, whose data is the user or role
 * as the change left it: call this after the change.
 */
export async function recordAudit(tx: DbHandle, actor: AuditActor, entry: AuditEntry): Promise<void> {
  const webhook = webhookSubjectOf(entry);
  if (webhook) await insertAuditEventWithWebhooks(tx, auditEvent(actor, entry), webhook);
  else await insertAuditEvent(tx, auditEvent(actor, entry));
}

/** The webhook event an audit entry is, if any. */
export function webhookSubjectOf(entry: AuditEntry): WebhookEventSubject | null {
  const type = webhookEventOf(entry.action);
  if (!type || (entry.targetType !== 'user' && entry.targetType !== 'role') || !entry.targetId) return null;
  return { type, targetType: entry.targetType, targetId: entry.targetId };
}

/** The stored event of one entry, redacted: for a writer that inserts it in the same statement as its change. */
export function auditEvent(actor: AuditActor, entry: AuditEntry): AuditEventInsert {
  return {
    id: randomUUID(),
    actorId: actor.actorId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    requestId: actor.requestId,
    impersonatorId: actor.impersonatorId ?? null,
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

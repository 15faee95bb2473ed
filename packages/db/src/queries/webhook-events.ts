import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';
import { type AuditEventInsert, auditedEventCtes } from './audit.ts';
import { userProjection } from './users.ts';

export const WEBHOOK_KIND = 'webhook';

/** What a webhook event is about: its type (a contract event name) and the user or role it shows. */
export interface WebhookEventSubject {
  type: string;
  targetType: 'user' | 'role';
  /** A user id, or a role name. */
  targetId: string;
}

/** The outbox payload of one delivery: everything the request is made of, so retries send the same body. */
export interface WebhookDeliveryPayload {
  endpointId: string;
  eventId: string;
  type: string;
  /** `user:<id>` or `role:<name>`: deliveries to one endpoint about one subject go out in order. */
  subject: string;
  /** The body sent, `{ type, timestamp, data }`, as JSON text (what is signed is exactly what is sent). */
  body: string;
}

const isoText = (column: string) => Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The subject as the API shows it, read in the statement (so after the change that statement's transaction made). */
export function subjectDataSql(subject: WebhookEventSubject, users: Prisma.Sql = Prisma.sql`users`): Prisma.Sql {
  if (subject.targetType === 'user') {
    return Prisma.sql`(SELECT to_jsonb(x) FROM (SELECT ${userProjection} FROM ${users} u WHERE u.id = ${subject.targetId}::uuid) x)`;
  }
  return Prisma.sql`(SELECT jsonb_build_object(
      'name', r.name, 'description', r.description, 'builtIn', r.built_in, 'requireMfa', r.require_mfa,
      'permissions', to_jsonb(ARRAY(SELECT rp.permission FROM role_permissions rp JOIN permissions p ON p.name = rp.permission
                                     WHERE rp.role_id = r.id ORDER BY rp.permission)))
     FROM roles r WHERE r.name = ${subject.targetId})`;
}

/**
 * One outbox row per enabled endpoint subscribed to the event, built from the audit event the same statement
 * inserts (`audited`: a CTE returning its id and time). The event id is the audit event's id: the `webhook-id`.
 * Deliveries to one endpoint about one user or role share an order key, so they go out in order.
 */
export function webhookDeliveriesInsert(subject: WebhookEventSubject, data: Prisma.Sql): Prisma.Sql {
  const subjectKey = `${subject.targetType}:${subject.targetId}`;
  return Prisma.sql`
    INSERT INTO outbox (id, kind, payload, order_key)
    SELECT gen_random_uuid(), ${WEBHOOK_KIND},
           jsonb_build_object('endpointId', e.id, 'eventId', a.id, 'type', ${subject.type}::text, 'subject', ${subjectKey}::text,
                              'body', jsonb_build_object('type', ${subject.type}::text, 'timestamp', ${isoText('a.at')}, 'data', d.data)::text),
           e.id::text || ':' || ${subjectKey}::text
      FROM audited a
     CROSS JOIN (SELECT ${data} AS data) d
      JOIN webhook_endpoints e ON e.enabled AND e.events && ARRAY[${subject.type}::text, '*']
     ORDER BY e.id`;
}

/**
 * The audit event and its webhook deliveries in one statement: neither can be written without the other, and both
 * commit or roll back with the caller's transaction. Returns how many deliveries were written.
 */
export async function insertAuditEventWithWebhooks(db: DbHandle, event: AuditEventInsert, subject: WebhookEventSubject): Promise<number> {
  return db.execute(Prisma.sql`
    WITH ${auditedEventCtes(event)}
    ${webhookDeliveriesInsert(subject, subjectDataSql(subject))}`);
}

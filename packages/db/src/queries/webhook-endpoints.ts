import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';
import { WEBHOOK_KIND, type WebhookDeliveryPayload } from './webhook-events.ts';

/** An endpoint as the API shows it: no secret. */
const endpointSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  createdAt: true,
  failingSince: true,
} as const satisfies Prisma.WebhookEndpointSelect;

export type WebhookEndpointRow = Prisma.WebhookEndpointGetPayload<{ select: typeof endpointSelect }>;

/** What a delivery needs: where, and the sealed secrets that sign it. */
export interface WebhookTarget {
  id: string;
  url: string;
  enabled: boolean;
  sealedSecret: string;
  previousSealedSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

export async function selectWebhookEndpoints(db: DbHandle): Promise<WebhookEndpointRow[]> {
  return db.prisma.webhookEndpoint.findMany({ select: endpointSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

export async function findWebhookEndpoint(db: DbHandle, id: string): Promise<WebhookEndpointRow | null> {
  return db.prisma.webhookEndpoint.findUnique({ where: { id }, select: endpointSelect });
}

export async function countEnabledWebhookEndpoints(db: DbHandle): Promise<number> {
  return db.prisma.webhookEndpoint.count({ where: { enabled: true } });
}

export interface NewWebhookEndpoint {
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  sealedSecret: string;
}

export async function insertWebhookEndpoint(tx: DbHandle, endpoint: NewWebhookEndpoint): Promise<WebhookEndpointRow> {
  return tx.prisma.webhookEndpoint.create({ data: endpoint, select: endpointSelect });
}

export interface WebhookEndpointChange {
  url?: string | undefined;
  description?: string | undefined;
  events?: string[] | undefined;
  enabled?: boolean | undefined;
}

/** The endpoint as it was, row-locked until the transaction ends (edits of one endpoint apply one after another). */
export async function lockWebhookEndpoint(tx: DbHandle, id: string): Promise<WebhookEndpointRow | null> {
  const [locked] = await tx.query<{ id: string }>(Prisma.sql`SELECT id FROM webhook_endpoints WHERE id = ${id}::uuid FOR UPDATE`);
  return locked ? findWebhookEndpoint(tx, id) : null;
}

/** Re-enabling an endpoint starts its failure clock afresh. */
export async function updateWebhookEndpoint(tx: DbHandle, id: string, change: WebhookEndpointChange): Promise<WebhookEndpointRow> {
  return tx.prisma.webhookEndpoint.update({
    where: { id },
    data: { ...change, ...(change.enabled === true ? { failingSince: null } : {}) },
    select: endpointSelect,
  });
}

/** Deletes the endpoint, its attempts (cascade) and its deliveries still waiting. */
export async function deleteWebhookEndpoint(tx: DbHandle, id: string): Promise<void> {
  await tx.execute(Prisma.sql`
    DELETE FROM outbox WHERE kind = ${WEBHOOK_KIND} AND status = 'pending'::outbox_status AND order_key LIKE ${`${id}:%`}`);
  await tx.prisma.webhookEndpoint.delete({ where: { id } });
}

/** A new secret; the one it replaces keeps signing until `previousExpiresAt`. */
export async function rotateWebhookSecret(tx: DbHandle, id: string, sealedSecret: string, previousExpiresAt: Date): Promise<void> {
  await tx.execute(Prisma.sql`
    UPDATE webhook_endpoints
       SET previous_sealed_secret = sealed_secret, previous_secret_expires_at = ${previousExpiresAt},
           sealed_secret = ${sealedSecret}, updated_at = now()
     WHERE id = ${id}::uuid`);
}

export async function findWebhookTarget(db: DbHandle, id: string): Promise<WebhookTarget | null> {
  return db.prisma.webhookEndpoint.findUnique({
    where: { id },
    select: { id: true, url: true, enabled: true, sealedSecret: true, previousSealedSecret: true, previousSecretExpiresAt: true },
  });
}

/**
 * After a failed attempt: the endpoint has been failing since its first failure in a row; once that is longer ago
 * than `disableAfterMs`, it is disabled. Returns whether it is (now) disabled.
 */
export async function markWebhookEndpointFailing(db: DbHandle, id: string, disableAfterMs: number): Promise<boolean> {
  const [row] = await db.query<{ enabled: boolean }>(Prisma.sql`
    UPDATE webhook_endpoints
       SET failing_since = COALESCE(failing_since, now()),
           enabled = enabled AND COALESCE(failing_since, now()) > now() - ${disableAfterMs} * interval '1 millisecond'
     WHERE id = ${id}::uuid
    RETURNING enabled`);
  return row ? !row.enabled : true;
}

export async function markWebhookEndpointHealthy(db: DbHandle, id: string): Promise<void> {
  await db.execute(Prisma.sql`UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ${id}::uuid AND failing_since IS NOT NULL`);
}

export interface NewWebhookAttempt {
  endpointId: string;
  eventId: string;
  type: string;
  status: 'succeeded' | 'failed';
  responseStatus: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  payload: WebhookDeliveryPayload;
}

/** Records one attempt, numbered after the event's earlier attempts at this endpoint (retries and redeliveries alike). */
export async function insertWebhookAttempt(db: DbHandle, attempt: NewWebhookAttempt): Promise<void> {
  await db.execute(Prisma.sql`
    INSERT INTO webhook_attempts (id, endpoint_id, event_id, type, attempt, status, response_status, duration_ms,
                                  response_excerpt, error, payload)
    SELECT gen_random_uuid(), ${attempt.endpointId}::uuid, ${attempt.eventId}::uuid, ${attempt.type},
           COALESCE((SELECT max(attempt) FROM webhook_attempts WHERE endpoint_id = ${attempt.endpointId}::uuid
                                                                 AND event_id = ${attempt.eventId}::uuid), 0) + 1,
           ${attempt.status}::webhook_attempt_status, ${attempt.responseStatus}::int, ${attempt.durationMs}::int,
           ${attempt.responseExcerpt}, ${attempt.error}, ${JSON.stringify(attempt.payload)}::jsonb
     WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ${attempt.endpointId}::uuid)
       -- A delivery in flight when its person was erased keeps no copy of their data (only user.erased's own).
       AND NOT EXISTS (SELECT 1 FROM audit_events e JOIN users u ON u.id::text = e.target_id
                        WHERE e.id = ${attempt.eventId}::uuid AND e.target_type = 'user' AND e.action <> 'user.erased'
                          AND u.erased_at IS NOT NULL)`);
}

export interface WebhookAttemptRow {
  id: string;
  eventId: string;
  type: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  responseStatus: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  at: Date;
}

/** One endpoint's attempts, newest first, keyset-paged on (at DESC, id DESC). */
export async function selectWebhookAttempts(
  db: DbHandle,
  endpointId: string,
  after: { at: Date; id: string } | undefined,
  limit: number,
): Promise<WebhookAttemptRow[]> {
  const page = after ? Prisma.sql`AND (at, id) < (${after.at}, ${after.id}::uuid)` : Prisma.empty;
  return db.query<WebhookAttemptRow>(Prisma.sql`
    SELECT id, event_id AS "eventId", type, attempt, status::text AS status, response_status AS "responseStatus",
           duration_ms AS "durationMs", response_excerpt AS "responseExcerpt", error, at
      FROM webhook_attempts
     WHERE endpoint_id = ${endpointId}::uuid ${page}
     ORDER BY at DESC, id DESC
     LIMIT ${limit}`);
}

export async function findWebhookAttemptPayload(db: DbHandle, attemptId: string): Promise<WebhookDeliveryPayload | null> {
  const attempt = await db.prisma.webhookAttempt.findUnique({ where: { id: attemptId }, select: { payload: true } });
  return attempt ? (attempt.payload as unknown as WebhookDeliveryPayload) : null;
}

/** Queues one delivery (a redelivery or a test event) behind the endpoint's earlier deliveries about the same subject. */
export async function enqueueWebhookDelivery(tx: DbHandle, payload: WebhookDeliveryPayload, orderKey: string): Promise<void> {
  await tx.execute(Prisma.sql`
    INSERT INTO outbox (id, kind, payload, order_key)
    VALUES (gen_random_uuid(), ${WEBHOOK_KIND}, ${JSON.stringify(payload)}::jsonb, ${orderKey})`);
}

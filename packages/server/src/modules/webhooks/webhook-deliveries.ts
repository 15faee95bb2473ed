import { randomUUID } from 'node:crypto';
import { type TWebhookAttempt, type TWebhookDeliveriesInput, WEBHOOK_TEST_EVENT } from '@ums/contract';
import {
  enqueueWebhookDelivery,
  findWebhookAttemptPayload,
  findWebhookEndpoint,
  selectWebhookAttempts,
  type WebhookDeliveryPayload,
} from '@ums/db';
import { decodeAuditCursor, encodeAuditCursor } from '../audit/audit-cursor.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { attemptNotFound, webhookDisabled, webhookNotFound } from './webhook-errors.ts';
import { toWebhookAttemptView } from './webhook-view.ts';

/** An endpoint's attempts, newest first, keyset-paged like the audit trail. */
export async function listWebhookDeliveries(
  { db }: Pick<ServiceDeps, 'db'>,
  { id, limit, cursor }: TWebhookDeliveriesInput,
): Promise<{ items: TWebhookAttempt[]; nextCursor: string | null }> {
  if (!(await findWebhookEndpoint(db, id))) throw webhookNotFound();
  const after = cursor === undefined ? undefined : decodeAuditCursor(cursor);
  const rows = await selectWebhookAttempts(db, id, after, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(toWebhookAttemptView), nextCursor: rows.length > limit && last ? encodeAuditCursor(last) : null };
}

/** Sends an attempt's event again, as a new attempt with the same `webhook-id`, behind the subject's pending events. */
export async function redeliverWebhook(
  deps: Pick<ServiceDeps, 'db' | 'outbox'>,
  { attemptId }: { attemptId: string },
): Promise<{ eventId: string }> {
  const payload = await findWebhookAttemptPayload(deps.db, attemptId);
  if (!payload) throw attemptNotFound();
  await queue(deps, payload);
  return { eventId: payload.eventId };
}

/** A `webhook.test` event to this endpoint alone, delivered like any other. */
export async function sendTestWebhook(deps: Pick<ServiceDeps, 'db' | 'outbox'>, { id }: { id: string }): Promise<{ eventId: string }> {
  const eventId = randomUUID();
  const body = JSON.stringify({ type: WEBHOOK_TEST_EVENT, timestamp: new Date().toISOString(), data: { endpointId: id } });
  await queue(deps, { endpointId: id, eventId, type: WEBHOOK_TEST_EVENT, subject: `test:${id}`, body });
  return { eventId };
}

async function queue(deps: Pick<ServiceDeps, 'db' | 'outbox'>, payload: WebhookDeliveryPayload): Promise<void> {
  const endpoint = await findWebhookEndpoint(deps.db, payload.endpointId);
  if (!endpoint) throw webhookNotFound();
  if (!endpoint.enabled) throw webhookDisabled();
  await enqueueWebhookDelivery(deps.db, payload, `${payload.endpointId}:${payload.subject}`);
  deps.outbox.wake();
}

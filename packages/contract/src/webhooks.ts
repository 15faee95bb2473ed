import { z } from 'zod';
import { plainText, ZCursor, ZPageLimit, ZTimestamp, ZUuid } from './fields.ts';

/** The events a webhook endpoint can subscribe to (API.md, "Webhooks"); `webhook.test` is only sent by webhooks.test. */
export const webhookEventTypes = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.erased',
  'user.roles_changed',
  'user.email_verified',
  'user.email_changed',
  'user.password_changed',
  'user.mfa_enabled',
  'user.mfa_disabled',
  'role.created',
  'role.updated',
  'role.deleted',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
export const WEBHOOK_TEST_EVENT = 'webhook.test';

const ZWebhookEventName = z.enum([...webhookEventTypes, '*'], { message: 'must be an event name or "*"' });

export const ZWebhookEvents = z
  .array(ZWebhookEventName)
  .min(1, { message: 'must name at least one event' })
  .max(webhookEventTypes.length + 1)
  .refine((events) => !events.includes('*') || events.length === 1, { message: '"*" stands alone' })
  .transform((events) => [...new Set(events)]);

// The SSRF guard (https only, public addresses) is the server's: it depends on configuration and on DNS.
export const ZWebhookUrl = z
  .string()
  .trim()
  .max(2048, { message: 'must be at most 2048 characters' })
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an https URL' }));

const ZDescription = plainText(0, 500);

export const ZWebhookEndpoint = z
  .object({
    id: ZUuid,
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    createdAt: ZTimestamp,
    failingSince: ZTimestamp.nullable(),
  })
  .meta({ id: 'WebhookEndpoint' });
export type TWebhookEndpoint = z.infer<typeof ZWebhookEndpoint>;

/** Create and rotate are the only answers that carry the secret. */
export const ZWebhookEndpointWithSecret = ZWebhookEndpoint.extend({ secret: z.string() }).meta({ id: 'WebhookEndpointWithSecret' });

export const ZWebhookEndpointList = z.object({ items: z.array(ZWebhookEndpoint) }).meta({ id: 'WebhookEndpointList' });

export const ZCreateWebhookInput = z
  .strictObject({ url: ZWebhookUrl, description: ZDescription.optional(), events: ZWebhookEvents, enabled: z.boolean().optional() })
  .meta({ id: 'CreateWebhookInput' });
export type TCreateWebhookInput = z.infer<typeof ZCreateWebhookInput>;

export const ZUpdateWebhookInput = z
  .strictObject({
    id: ZUuid,
    url: ZWebhookUrl.optional(),
    description: ZDescription.optional(),
    events: ZWebhookEvents.optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: 'UpdateWebhookInput' });
export type TUpdateWebhookInput = z.infer<typeof ZUpdateWebhookInput>;

export const ZWebhookIdInput = z.strictObject({ id: ZUuid });

export const ZWebhookDeliveriesInput = z.strictObject({ id: ZUuid, limit: ZPageLimit(20), cursor: ZCursor.optional() });
export type TWebhookDeliveriesInput = z.infer<typeof ZWebhookDeliveriesInput>;

export const ZWebhookAttempt = z
  .object({
    id: ZUuid,
    eventId: ZUuid,
    type: z.string(),
    attempt: z.number().int(),
    status: z.enum(['succeeded', 'failed']),
    responseStatus: z.number().int().nullable(),
    durationMs: z.number().int(),
    /** The first characters of the receiver's answer. */
    responseExcerpt: z.string().nullable(),
    error: z.string().nullable(),
    at: ZTimestamp,
  })
  .meta({ id: 'WebhookAttempt' });
export type TWebhookAttempt = z.infer<typeof ZWebhookAttempt>;

export const ZWebhookAttemptList = z
  .object({ items: z.array(ZWebhookAttempt), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookAttemptList' });

export const ZRedeliverInput = z.strictObject({ attemptId: ZUuid });

/** What redeliver and test answer: the event that was queued (its `webhook-id`). */
export const ZWebhookQueued = z.object({ eventId: ZUuid }).meta({ id: 'WebhookQueued' });

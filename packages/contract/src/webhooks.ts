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
    id: ZUuid.describe('The endpoint id'),
    url: z.string().describe('Where events are POSTed'),
    description: z.string().describe('What the endpoint is for'),
    events: z.array(z.string()).describe('The event names it gets, or `["*"]` for all'),
    enabled: z.boolean().describe('False: it gets no events'),
    createdAt: ZTimestamp.describe('When it was added'),
    failingSince: ZTimestamp.nullable().describe('Since when every delivery has failed; null while the last one succeeded'),
  })
  .meta({ id: 'WebhookEndpoint' });
export type TWebhookEndpoint = z.infer<typeof ZWebhookEndpoint>;

/** Create and rotate are the only answers that carry the secret. */
export const ZWebhookEndpointWithSecret = ZWebhookEndpoint.extend({
  secret: z.string().describe('The signing secret (`whsec_…`), shown in this answer only'),
}).meta({ id: 'WebhookEndpointWithSecret' });

export const ZWebhookEndpointList = z
  .object({ items: z.array(ZWebhookEndpoint).describe('Every endpoint') })
  .meta({ id: 'WebhookEndpointList' });

export const ZCreateWebhookInput = z
  .strictObject({
    url: ZWebhookUrl.describe('An https URL resolving to public addresses'),
    description: ZDescription.optional().describe('What the endpoint is for'),
    events: ZWebhookEvents.describe('Event names, or `["*"]` alone for all'),
    enabled: z.boolean().optional().describe('Default true'),
  })
  .meta({ id: 'CreateWebhookInput' });
export type TCreateWebhookInput = z.infer<typeof ZCreateWebhookInput>;

export const ZUpdateWebhookInput = z
  .strictObject({
    id: ZUuid.describe('The endpoint id'),
    url: ZWebhookUrl.optional().describe('An https URL resolving to public addresses'),
    description: ZDescription.optional().describe('What the endpoint is for'),
    events: ZWebhookEvents.optional().describe('Event names, or `["*"]` alone for all'),
    enabled: z.boolean().optional().describe('Enabling clears `failingSince`'),
  })
  .meta({ id: 'UpdateWebhookInput' });
export type TUpdateWebhookInput = z.infer<typeof ZUpdateWebhookInput>;

export const ZWebhookIdInput = z.strictObject({ id: ZUuid.describe('The endpoint id') });

export const ZWebhookDeliveriesInput = z.strictObject({
  id: ZUuid.describe('The endpoint id'),
  limit: ZPageLimit(20).describe('Attempts per page, 1–100'),
  cursor: ZCursor.describe('`nextCursor` of the previous page').optional(),
});
export type TWebhookDeliveriesInput = z.infer<typeof ZWebhookDeliveriesInput>;

export const ZWebhookAttempt = z
  .object({
    id: ZUuid.describe('The attempt id (for redeliver)'),
    eventId: ZUuid.describe('The event id, sent as `webhook-id`'),
    type: z.string().describe('The event type'),
    attempt: z.number().int().describe('1 for the first try of this event at this endpoint, then 2, 3…'),
    status: z.enum(['succeeded', 'failed']).describe('Succeeded: the receiver answered 2xx'),
    responseStatus: z.number().int().nullable().describe('The HTTP status answered; null when none came'),
    durationMs: z.number().int().describe('How long the attempt took'),
    responseExcerpt: z.string().nullable().describe("The first characters of the receiver's answer"),
    error: z.string().nullable().describe('Why it failed; null when it succeeded'),
    at: ZTimestamp.describe('When it was made'),
  })
  .meta({ id: 'WebhookAttempt' });
export type TWebhookAttempt = z.infer<typeof ZWebhookAttempt>;

export const ZWebhookAttemptList = z
  .object({
    items: z.array(ZWebhookAttempt).describe('Attempts, newest first'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
  })
  .meta({ id: 'WebhookAttemptList' });

export const ZRedeliverInput = z.strictObject({ attemptId: ZUuid.describe('The attempt whose event is sent again') });

/** What redeliver and test answer: the event that was queued (its `webhook-id`). */
export const ZWebhookQueued = z.object({ eventId: ZUuid.describe('The event queued: its `webhook-id`') }).meta({ id: 'WebhookQueued' });

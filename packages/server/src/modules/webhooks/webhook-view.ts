import type { TWebhookAttempt, TWebhookEndpoint } from '@ums/contract';
import type { WebhookAttemptRow, WebhookEndpointRow } from '@ums/db';

export const toWebhookEndpointView = (row: WebhookEndpointRow): TWebhookEndpoint => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  failingSince: row.failingSince?.toISOString() ?? null,
});

export const toWebhookAttemptView = (row: WebhookAttemptRow): TWebhookAttempt => ({ ...row, at: row.at.toISOString() });

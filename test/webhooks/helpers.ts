import type { TWebhookAttempt } from '@ums/contract';
import { expect } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import type { SignedIn } from '../support/users.ts';

/** What webhook tests run with: loopback receivers allowed, quick polls and retries. */
export const WEBHOOK_TEST_ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  OUTBOX_POLL_MS: '100',
  WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2,0.2',
};

export interface CreatedEndpoint {
  id: string;
  secret: string;
  url: string;
  events: string[];
}

export async function createEndpoint(
  t: TestApp,
  admin: SignedIn,
  body: { url: string; events?: string[]; description?: string },
): Promise<CreatedEndpoint> {
  const res = await rest(t.app, 'POST', '/webhooks', { headers: admin.headers, body: { events: ['*'], ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Every attempt of one endpoint, oldest first. */
export async function attemptsOf(t: TestApp, admin: SignedIn, endpointId: string) {
  const res = await rest(t.app, 'GET', `/webhooks/${endpointId}/deliveries?limit=100`, { headers: admin.headers });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as TWebhookAttempt[]).reverse();
}

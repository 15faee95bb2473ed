import {
  type ClaimedOutboxMessage,
  type DbHandle,
  findWebhookTarget,
  insertWebhookAttempt,
  markWebhookEndpointFailing,
  markWebhookEndpointHealthy,
  type WebhookDeliveryPayload,
} from '@ums/db';
import type { ServerConfig } from '../../config.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import { type OutboxHandler, UndeliverableError } from '../outbox/outbox-dispatcher.ts';
import { postWebhook, type WebhookResponse } from './post-webhook.ts';
import { checkWebhookTarget, type ResolveHost } from './target-guard.ts';
import { signWebhook } from './webhook-signature.ts';

/** Per attempt, DNS and the exchange together. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** An endpoint whose deliveries have all failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 3 * 24 * 3600_000;

const USER_AGENT = 'ums-webhooks/1';

/**
 * The outbox handler of kind `webhook`: checks the target again (DNS may have changed since it was saved), signs
 * the stored body with the endpoint's secrets, POSTs it to the address just checked, and records the attempt.
 * A non-2xx answer, a refused target or a timeout is a failed attempt, retried per WEBHOOK_RETRY_SCHEDULE.
 */
export function createWebhookDelivery({
  db,
  config,
  secrets,
  resolveHost,
}: {
  db: DbHandle;
  config: Pick<ServerConfig, 'webhooks'>;
  secrets: SecretBox;
  resolveHost: ResolveHost;
}): OutboxHandler {
  const policy = { allowPrivateNetworks: config.webhooks.allowPrivateNetworks, resolveHost };
  return {
    retryScheduleMs: config.webhooks.retryScheduleMs,
    async deliver(message: ClaimedOutboxMessage) {
      const payload = message.payload as WebhookDeliveryPayload;
      const target = await findWebhookTarget(db, payload.endpointId);
      if (!target) throw new UndeliverableError('the endpoint was deleted');
      if (!target.enabled) throw new UndeliverableError('the endpoint is disabled');

      const started = performance.now();
      let response: WebhookResponse | null = null;
      let error: string | null = null;
      try {
        response = await withTimeout(async (deadline) => {
          const checked = await checkWebhookTarget(target.url, policy);
          const headers = signWebhook(secrets, target, { eventId: payload.eventId, body: payload.body, at: new Date() });
          return postWebhook(checked, {
            headers: { ...headers, 'user-agent': USER_AGENT },
            body: payload.body,
            timeoutMs: Math.max(1, deadline - Date.now()),
          });
        });
        if (response.status < 200 || response.status > 299) error = `the receiver answered ${response.status}`;
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
      }
      await insertWebhookAttempt(db, {
        endpointId: payload.endpointId,
        eventId: payload.eventId,
        type: payload.type,
        status: error ? 'failed' : 'succeeded',
        responseStatus: response?.status ?? null,
        durationMs: Math.round(performance.now() - started),
        responseExcerpt: response?.excerpt ?? null,
        error,
        payload,
      });
      if (!error) {
        await markWebhookEndpointHealthy(db, payload.endpointId);
        return;
      }
      if (await markWebhookEndpointFailing(db, payload.endpointId, DISABLE_AFTER_FAILING_MS)) {
        throw new UndeliverableError(`${error}; the endpoint has failed for 3 days and is now disabled`);
      }
      throw new Error(error);
    },
  };
}

/** The whole attempt within WEBHOOK_TIMEOUT_MS: a resolver that hangs counts against it too. */
async function withTimeout<T>(work: (deadline: number) => Promise<T>): Promise<T> {
  const deadline = Date.now() + WEBHOOK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${WEBHOOK_TIMEOUT_MS} ms`)), WEBHOOK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work(deadline), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

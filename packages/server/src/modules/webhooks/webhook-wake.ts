import { countEnabledWebhookEndpoints, type DbHandle } from '@ums/db';

/** How long this instance trusts what it last read about whether any endpoint is enabled. */
const RECHECK_MS = 5000;

export interface WebhookWake {
  /** After a committed mutation: if it may have written webhook deliveries, look for them now (not at the next poll). */
  afterMutation(): void;
  /** An endpoint was enabled by this instance: wake from now on. */
  subscribed(): void;
}

/**
 * Any mutation may emit an event (recordAudit writes them), but waking the dispatcher after each one would cost a
 * claim query per write when no endpoint exists. So the wake happens only while an enabled endpoint is known to
 * exist; without one, the check is an occasional count. Other instances' deliveries are found by their poll.
 */
export function createWebhookWake(db: DbHandle, outbox: { wake(): void }): WebhookWake {
  let enabledEndpoints = false;
  let checkedAt = 0;
  const recheck = () => {
    checkedAt = Date.now();
    countEnabledWebhookEndpoints(db)
      .then((count) => {
        enabledEndpoints = count > 0;
      })
      .catch(() => undefined);
  };
  return {
    afterMutation() {
      if (enabledEndpoints) outbox.wake();
      if (Date.now() - checkedAt > RECHECK_MS) recheck();
    },
    subscribed() {
      enabledEndpoints = true;
      checkedAt = Date.now();
    },
  };
}

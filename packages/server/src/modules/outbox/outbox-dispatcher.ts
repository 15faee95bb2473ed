import { randomUUID } from 'node:crypto';
import { type ClaimedOutboxMessage, claimDueOutboxMessages, type DbHandle, pruneSentOutboxMessages, recordOutboxOutcome } from '@ums/db';
import type { FastifyBaseLogger } from 'fastify';
import type { OutboxMetrics } from './outbox-metrics.ts';

/** Thrown by a handler when no retry could succeed (the target is gone or disabled): failed for good at once. */
export class UndeliverableError extends Error {
  override name = 'UndeliverableError';
}

/** Delivers one claimed message; throwing means "not delivered", and the message is retried or fails for good. */
export interface OutboxHandler {
  deliver(message: ClaimedOutboxMessage): Promise<void>;
  /** Wait before each retry; past the last, the message has failed for good. */
  retryScheduleMs: readonly number[];
}

export interface OutboxDispatcher {
  start(): void;
  /** Look for due messages now (a transaction that wrote some has committed). */
  wake(): void;
  /** Stops claiming and waits for the deliveries in hand to finish and be recorded. */
  stop(): Promise<void>;
  /** Deliveries claimed and not yet recorded (a shutdown that times out reports it). */
  inHand(): number;
}

export interface OutboxDispatcherOptions {
  db: DbHandle;
  handlers: Readonly<Record<string, OutboxHandler>>;
  pollMs: number;
  leaseMs: number;
  log: FastifyBaseLogger;
  metrics: OutboxMetrics;
}

const BATCH = 10;
const SENT_RETENTION_MS = 7 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;
const ERROR_EXCERPT = 500;

/**
 * One per server instance. Claims due messages (several instances never claim the same one), delivers them,
 * and records each outcome; a message whose claimant died is due again when the lease ends.
 */
export function createOutboxDispatcher({ db, handlers, pollMs, leaseMs, log, metrics }: OutboxDispatcherOptions): OutboxDispatcher {
  const kinds = Object.keys(handlers);
  let running = false;
  let woken = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let lastPrune = 0;
  let delivering = 0;

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    // Never what keeps the process alive: the server's sockets do that.
    if (running) timer = setTimeout(run, delayMs).unref();
  };

  function run() {
    if (!running || current) {
      woken = true;
      return;
    }
    current = drainDue().finally(() => {
      current = undefined;
      if (woken) {
        woken = false;
        schedule(0);
      } else schedule(pollMs);
    });
  }

  async function drainDue(): Promise<void> {
    try {
      let claimed: ClaimedOutboxMessage[];
      do {
        const claimId = randomUUID();
        claimed = await claimDueOutboxMessages(db, { claimId, kinds, limit: BATCH, leaseMs });
        await Promise.all(claimed.map((message) => deliverOne(message, claimId)));
      } while (running && claimed.length === BATCH);
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        await pruneSentOutboxMessages(db, new Date(Date.now() - SENT_RETENTION_MS));
      }
    } catch (error) {
      log.warn({ err: error }, 'outbox: could not claim due messages; retrying');
    }
  }

  async function deliverOne(message: ClaimedOutboxMessage, claimId: string): Promise<void> {
    const handler = handlers[message.kind];
    if (!handler) return;
    const claim = { id: message.id, claimId };
    delivering++;
    try {
      await handler.deliver(message);
      await recordOutboxOutcome(db, claim, { status: 'sent' });
      metrics.delivered(message.kind, 'sent');
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, ERROR_EXCERPT);
      const retryDelay = error instanceof UndeliverableError ? undefined : handler.retryScheduleMs[message.attempts - 1];
      if (retryDelay === undefined) {
        await recordOutboxOutcome(db, claim, { status: 'failed', error: reason }).catch(() => false);
        metrics.delivered(message.kind, error instanceof UndeliverableError ? 'undeliverable' : 'failed');
        log.error({ outboxId: message.id, kind: message.kind, attempts: message.attempts, reason }, 'outbox: delivery failed for good');
      } else {
        await recordOutboxOutcome(db, claim, { status: 'retry', error: reason, retryAt: new Date(Date.now() + retryDelay) }).catch(
          () => false,
        );
        metrics.delivered(message.kind, 'retried');
        log.warn(
          { outboxId: message.id, kind: message.kind, attempts: message.attempts, retryInMs: retryDelay, reason },
          'outbox: delivery failed; will retry',
        );
      }
    } finally {
      delivering--;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    wake() {
      if (running) run();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await current;
    },
    inHand: () => delivering,
  };
}

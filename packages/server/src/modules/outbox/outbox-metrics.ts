import { type DbHandle, type OutboxBacklog, selectOutboxBacklog } from '@ums/db';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface OutboxMetrics {
  delivered(kind: string, outcome: 'sent' | 'retried' | 'failed' | 'undeliverable'): void;
}

const BACKLOG_GAUGES = [
  { name: 'ums_outbox_pending', help: 'Outbox messages waiting to be delivered, by kind', value: (row: OutboxBacklog) => row.pending },
  {
    name: 'ums_outbox_failed',
    help: 'Outbox messages that failed for good (no retry left), by kind',
    value: (row: OutboxBacklog) => row.failed,
  },
  {
    name: 'ums_outbox_oldest_pending_seconds',
    help: 'Age of the oldest message waiting to be delivered, by kind',
    value: (row: OutboxBacklog) => row.oldestPendingSeconds,
  },
] as const;

/**
 * Deliveries by outcome, counted by this instance; the backlog read from the database at each scrape (one query
 * shared by the gauges), so every instance reports the same shared queue.
 */
export function createOutboxMetrics(registry: Registry, db: DbHandle): OutboxMetrics {
  const deliveries = new Counter({
    name: 'ums_outbox_deliveries_total',
    help: 'Outbox delivery attempts by kind and outcome (sent, retried, failed: no retry left, undeliverable: the target is gone or disabled)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });

  let rows: OutboxBacklog[] = [];
  let reading: Promise<void> | undefined;
  // prom-client collects every metric at once: the first gauge starts the read, the others wait for the same one.
  const readBacklog = () => {
    reading ??= selectOutboxBacklog(db)
      .then((fresh) => {
        rows = fresh;
      })
      .catch(() => undefined)
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  for (const gauge of BACKLOG_GAUGES) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        await readBacklog();
        this.reset();
        for (const row of rows) this.set({ kind: row.kind }, gauge.value(row));
      },
    });
  }
  return { delivered: (kind, outcome) => deliveries.inc({ kind, outcome }) };
}

import type { FastifyInstance } from 'fastify';
import type { Lifecycle } from './lifecycle.ts';

export type ShutdownOutcome =
  | { clean: true; ms: number }
  | { clean: false; ms: number; phase: string; open: Record<string, unknown>; error?: unknown };

export interface ShutdownOptions {
  app: FastifyInstance;
  lifecycle: Lifecycle;
  /** What the caller opened itself and closes last (main.ts: the database pools). */
  closeAfterApp: () => Promise<void>;
  timeoutMs: number;
}

/**
 * The drain, in order: not ready and no more keep-alive (lifecycle), stop accepting and finish the requests in
 * flight (Fastify's close, http-drain.ts), then the app's onClose hooks — work answered before it was done, the
 * outbox's deliveries in hand, the mail transport, Redis — and last the database. Past `timeoutMs` it gives up
 * and says which phase it was in and what was still open; the caller exits non-zero then.
 */
export async function shutDown({ app, lifecycle, closeAfterApp, timeoutMs }: ShutdownOptions): Promise<ShutdownOutcome> {
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  let phase = 'draining HTTP and background work';
  lifecycle.beginDrain();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ShutdownOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ clean: false, ms: elapsed(), phase, open: lifecycle.openWork() }), timeoutMs);
  });
  const closed = (async (): Promise<ShutdownOutcome> => {
    await app.close();
    phase = 'closing the database';
    await closeAfterApp();
    return { clean: true, ms: elapsed() };
  })().catch((error: unknown): ShutdownOutcome => ({ clean: false, ms: elapsed(), phase, open: lifecycle.openWork(), error }));
  try {
    return await Promise.race([closed, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

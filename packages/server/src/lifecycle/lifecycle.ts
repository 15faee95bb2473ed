/**
 * The process's state as an orchestrator sees it: serving, or draining after SIGTERM/SIGINT (readiness then says
 * 503, and every response closes its connection). Each long-lived part registers what it still holds, so a
 * shutdown that runs out of time can say what was still open.
 */
export interface Lifecycle {
  readonly draining: boolean;
  /** From now on: not ready, and no connection is kept alive. Idempotent. */
  beginDrain(): void;
  /** `describe` answers what `name` still holds (a count, a list); reported when a shutdown times out. */
  trackOpenWork(name: string, describe: () => unknown): void;
  /** Every tracked part that still holds something (a count above 0, a non-empty list). */
  openWork(): Record<string, unknown>;
}

const holdsSomething = (value: unknown) =>
  Array.isArray(value) ? value.length > 0 : typeof value === 'number' ? value > 0 : Boolean(value);

export function createLifecycle(): Lifecycle {
  let draining = false;
  const sources = new Map<string, () => unknown>();
  return {
    get draining() {
      return draining;
    },
    beginDrain() {
      draining = true;
    },
    trackOpenWork(name, describe) {
      sources.set(name, describe);
    },
    openWork() {
      const open: Record<string, unknown> = {};
      for (const [name, describe] of sources) {
        const value = describe();
        if (holdsSomething(value)) open[name] = value;
      }
      return open;
    },
  };
}

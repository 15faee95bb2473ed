/** Work a procedure starts after deciding its answer, so the answer cannot tell by its timing what the work found. */
export interface BackgroundTasks {
  run(name: string, work: () => Promise<void>): void;
  /** Resolves when every task started so far has finished (shutdown waits for it). */
  drain(): Promise<void>;
  /** How many tasks are still running (a shutdown that times out reports it). */
  pending(): number;
}

/** `onError` hears of a task that failed (its answer was already sent): the app logs it. */
export function createBackgroundTasks(onError: (error: unknown, task: string) => void): BackgroundTasks {
  const running = new Set<Promise<void>>();
  return {
    run(name, work) {
      const task = Promise.resolve()
        .then(work)
        .catch((error: unknown) => onError(error, name))
        .finally(() => running.delete(task));
      running.add(task);
    },
    async drain() {
      while (running.size > 0) await Promise.all(running);
    },
    pending: () => running.size,
  };
}

import pg from 'pg';

/** The error of a request refused because `maxWaiting` requests already queue for a connection. */
export class PoolQueueFullError extends Error {
  override name = 'PoolQueueFullError';
  readonly code = 'UMS_POOL_QUEUE_FULL';
  constructor(maxWaiting: number) {
    super(`database queue full: ${maxWaiting} requests already wait for a connection`);
  }
}

/**
 * A node-postgres pool with a bound on its queue. When every connection is busy and `maxWaiting` callers already
 * wait, the next one is refused at once: a slow database then costs fast 503s instead of a pile of requests that
 * each hold memory and a client's patience for the whole pool wait. `query()` checks out through `connect()` too.
 */
export class BoundedPool extends pg.Pool {
  readonly #max: number;
  readonly #maxWaiting: number;

  constructor(config: pg.PoolConfig & { max: number }, maxWaiting: number) {
    super(config);
    this.#max = config.max;
    this.#maxWaiting = maxWaiting;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | undefined {
    const full = this.totalCount >= this.#max && this.idleCount === 0 && this.waitingCount >= this.#maxWaiting;
    if (full) {
      const error = new PoolQueueFullError(this.#maxWaiting);
      if (!callback) return Promise.reject(error);
      process.nextTick(() => callback(error, undefined, () => {}));
      return undefined;
    }
    if (!callback) return super.connect();
    super.connect(callback);
    return undefined;
  }
}

import pino from 'pino';

export interface LogDestination {
  /** What the logger writes to: buffered in memory, written by the event loop, so a request never waits on stdout. */
  stream: pino.DestinationStream;
  /** Writes whatever is still buffered, synchronously: safe in an `exit` handler. */
  flush(): void;
}

// Lines are written in batches of about this many bytes (some 30 access lines) instead of one write call each,
// which was ~3 % of a `GET /users/me` under load (docs/benchmarks.md, issue 23); a quiet server's lines still go
// out within FLUSH_INTERVAL_MS. Unbatched (main.ts: at LOG_LEVEL debug or trace), each line is written at once, for
// whoever watches requests arrive (the reliability tests tell what is in flight by the arrival lines).
const BATCH_BYTES = 4096;
const FLUSH_INTERVAL_MS = 250;

/**
 * stdout without blocking the request that logs (sonic-boom, `sync: false`). Nothing buffered is lost at exit:
 * pino flushes its destinations synchronously on the process's `exit` (every `process.exit`, the end of the
 * shutdown path included); a crash is logged and flushed by flushOnCrash.
 */
export function createLogDestination(fd = 1, { batched = true }: { batched?: boolean } = {}): LogDestination {
  const stream = pino.destination({ dest: fd, sync: false, minLength: batched ? BATCH_BYTES : 0 });
  const timer = setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Closed, or not open yet: the exit flush or the next tick covers it.
    }
  }, FLUSH_INTERVAL_MS);
  // Never what keeps the process alive.
  timer.unref();
  return {
    stream,
    flush: () => {
      try {
        stream.flushSync();
      } catch {
        // Nothing written yet, or stdout closed under us: there is nowhere left to write.
      }
    },
  };
}

/**
 * A crash is logged as fatal (not just a stack on stderr), flushed, and ends the process with 1, as Node's own
 * handler would (an unhandled rejection arrives here too: Node raises it as an uncaught exception).
 */
export function flushOnCrash(destination: LogDestination, logFatal: (error: unknown, message: string) => void): void {
  process.on('uncaughtException', (error) => {
    logFatal(error, 'uncaught exception: exiting');
    destination.flush();
    process.exit(1);
  });
}

import autocannon from 'autocannon';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/api/v1/users?limit=20`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Called for every request: rotates users, tokens and bodies. */
  next: () => RequestSpec;
  /** Waits for the server to work off what the warm-up left queued. */
  settle: () => Promise<void>;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  responses: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses outside 2xx, by status. */
  non2xx: number;
  statuses: Record<string, number>;
  /** Socket errors and timeouts: requests that got no response at all. */
  errors: number;
}

// Per-request budget: a login queue at 500 connections legitimately waits seconds; more than this is a failure.
const REQUEST_TIMEOUT_SECONDS = 30;
const MAX_SAMPLES = 4_000_000;

/** One warm-up run (discarded), then the measured run; latencies are kept per response for exact percentiles. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) {
    await drive(options, options.warmupSeconds, null);
    await options.settle();
  }
  const latencies = new Float64Array(MAX_SAMPLES);
  const recorder = { latencies, count: 0, statuses: new Map<number, number>() };
  const result = await drive(options, options.durationSeconds, recorder);
  const samples = latencies.subarray(0, Math.min(recorder.count, MAX_SAMPLES)).sort();
  const statuses: Record<string, number> = {};
  let non2xx = 0;
  for (const [status, count] of [...recorder.statuses].sort(([a], [b]) => a - b)) {
    if (status < 200 || status >= 300) {
      non2xx += count;
      statuses[String(status)] = count;
    }
  }
  return {
    connections: options.connections,
    seconds: result.duration,
    responses: recorder.count,
    requestsPerSecond: recorder.count / result.duration,
    p50: percentile(samples, 0.5),
    p95: percentile(samples, 0.95),
    p99: percentile(samples, 0.99),
    non2xx,
    statuses,
    errors: result.errors,
  };
}

interface Recorder {
  latencies: Float64Array;
  count: number;
  statuses: Map<number, number>;
}

function drive(options: LoadOptions, seconds: number, recorder: Recorder | null): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: seconds,
        timeout: REQUEST_TIMEOUT_SECONDS,
        requests: [
          {
            setupRequest: (request) => {
              const spec = options.next();
              // A fresh headers object each time: autocannon writes Content-Length into it.
              return { ...request, ...spec, headers: { ...spec.headers } };
            },
          },
        ],
      },
      (error: unknown, result) => (error ? reject(error) : resolve(result)),
    );
    if (recorder) {
      instance.on('response', (_client, statusCode, _bytes, milliseconds) => {
        if (recorder.count < recorder.latencies.length) recorder.latencies[recorder.count] = milliseconds;
        recorder.count += 1;
        recorder.statuses.set(statusCode, (recorder.statuses.get(statusCode) ?? 0) + 1);
      });
    }
  });
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

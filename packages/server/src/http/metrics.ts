import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics at GET /metrics: request counts and latency histograms per route, plus process metrics. Returns
 * the registry, for the other parts of the service that report metrics.
 */
export function registerMetrics(app: FastifyInstance, routeLabel: (request: FastifyRequest, url: string) => string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route, method and status code',
    labelNames: ['route', 'status_code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status code',
    labelNames: ['route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // One labelled child per route and status (both bounded), so a response does not build and hash a labels object.
  const series = new Map<string, { count: Counter.Internal; latency: Histogram.Internal<'route' | 'status_code'> }>();
  const seriesOf = (route: string, status: string) => {
    const key = `${route} ${status}`;
    let found = series.get(key);
    if (!found) {
      found = { count: requests.labels(route, status), latency: duration.labels(route, status) };
      series.set(key, found);
    }
    return found;
  };

  // originalUrl: the URL as received (rest-endpoint.ts reads it before its adapter rewrites the raw URL).
  // Callback-style: an async hook costs a promise and a microtask on every request.
  app.addHook('onResponse', (request, reply, done) => {
    const { count, latency } = seriesOf(routeLabel(request, request.originalUrl), String(reply.statusCode));
    count.inc();
    latency.observe(reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  return registry;
}

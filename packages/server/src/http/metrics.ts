import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics at GET /metrics: request counts and latency histograms per route, plus process metrics. */
export function registerMetrics(app: FastifyInstance, routeLabel: (request: FastifyRequest, url: string) => string) {
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

  // The URL as received, kept before any handler rewrites it.
  const receivedUrl = new WeakMap<FastifyRequest, string>();
  app.addHook('onRequest', async (request) => {
    receivedUrl.set(request, request.url);
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = { route: routeLabel(request, receivedUrl.get(request) ?? request.url), status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}

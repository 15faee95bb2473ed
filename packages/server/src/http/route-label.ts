import type { FastifyRequest } from 'fastify';
import { createProcedureCache, normalizePath, type OpenApiMethod, type OpenApiRouter } from 'trpc-to-openapi';
import type { AppRouter } from '../app-router.ts';
import type { Meta } from '../trpc/meta.ts';

// Anything but the characters a URL path keeps as they are (dots too: dot segments are resolved).
const URL_REWRITES = /[^\w\-~!$&'()*+,;=:@/]|\/\//;

/**
 * A bounded metrics label per route: the REST path template (`GET /api/v1/users/{id}`) or the tRPC procedure
 * names, never a raw URL, so ids and garbage paths cannot blow up the series count. REST calls are matched by
 * trpc-to-openapi's own matcher, the one its adapter routes with, so a label names the procedure that answered.
 */
export function createRouteLabeler(router: AppRouter, { trpcPrefix, restPrefix }: { trpcPrefix: string; restPrefix: string }) {
  const known = new Set(Object.keys(router._def.procedures));
  const findRestProcedure = createProcedureCache(router as OpenApiRouter);
  const trpcRoute = `${trpcPrefix}/:path`;
  const restRoute = `${restPrefix}/*`;

  const restLabel = (method: string, url: string): string | undefined => {
    // The path as the adapter reads it: below the prefix, without its query and trailing slash. A plain path is
    // its own URL pathname; only one that URL parsing could rewrite is parsed.
    const below = url.slice(restPrefix.length);
    const query = below.indexOf('?');
    const raw = query === -1 ? below : below.slice(0, query);
    let path: string;
    try {
      path = normalizePath(
        raw.startsWith('/') && !URL_REWRITES.test(raw) ? raw : new URL(below.startsWith('/') ? `http://127.0.0.1${below}` : below).pathname,
      );
    } catch {
      return undefined;
    }
    const meta = findRestProcedure(method as OpenApiMethod, path)?.procedure?.procedure._def.meta as Meta | undefined;
    return meta?.openapi && `${meta.openapi.method} ${restPrefix}${meta.openapi.path}`;
  };

  // Asked twice per request (metrics, access log): worked out once.
  const labels = new WeakMap<FastifyRequest, string>();

  /** `url`: the URL as received (the REST adapter rewrites request.url while it handles the call). */
  return (request: FastifyRequest, url: string): string => {
    let label = labels.get(request);
    if (label === undefined) {
      label = labelOf(request, url);
      labels.set(request, label);
    }
    return label;
  };

  function labelOf(request: FastifyRequest, url: string): string {
    const route = request.routeOptions.url;
    if (route === trpcRoute) {
      const names = String((request.params as { path?: string }).path ?? '').split(',');
      return names.every((name) => known.has(name)) ? `trpc ${[...new Set(names)].sort().join(',')}` : 'trpc <unknown>';
    }
    if (route === restRoute) return restLabel(request.method, url) ?? `${request.method} ${restPrefix}/<unknown>`;
    return route ? `${request.method} ${route}` : `${request.method} <unmatched>`;
  }
}

import type { FastifyRequest } from 'fastify';
import { createProcedureCache, normalizePath, type OpenApiMethod, type OpenApiRouter } from 'trpc-to-openapi';
import type { AppRouter } from '../app-router.ts';
import type { Meta } from '../trpc/meta.ts';

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
    // The path as the adapter reads it: below the prefix, parsed as a URL, without its trailing slash.
    const below = url.slice(restPrefix.length);
    let path: string;
    try {
      path = normalizePath(new URL(below.startsWith('/') ? `http://127.0.0.1${below}` : below).pathname);
    } catch {
      return undefined;
    }
    const meta = findRestProcedure(method as OpenApiMethod, path)?.procedure?.procedure._def.meta as Meta | undefined;
    return meta?.openapi && `${meta.openapi.method} ${restPrefix}${meta.openapi.path}`;
  };

  /** `url`: the URL as received (the REST adapter rewrites request.url while it handles the call). */
  return (request: FastifyRequest, url: string): string => {
    const route = request.routeOptions.url;
    if (route === trpcRoute) {
      const names = String((request.params as { path?: string }).path ?? '').split(',');
      return names.every((name) => known.has(name)) ? `trpc ${[...new Set(names)].sort().join(',')}` : 'trpc <unknown>';
    }
    if (route === restRoute) return restLabel(request.method, url) ?? `${request.method} ${restPrefix}/<unknown>`;
    return route ? `${request.method} ${route}` : `${request.method} <unmatched>`;
  };
}

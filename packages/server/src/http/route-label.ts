import type { AnyRouter } from '@trpc/server';
import type { FastifyRequest } from 'fastify';
import type { Meta } from '../trpc/meta.ts';

type Procedures = Record<string, { _def: { meta?: Meta } }>;

/**
 * A bounded metrics label per route: the REST path template (`GET /users/{id}`) or the tRPC procedure names,
 * never a raw URL, so ids and garbage paths cannot blow up the series count.
 */
export function createRouteLabeler(router: AnyRouter, restPrefix: string) {
  const procedures = router._def.procedures as Procedures;
  const known = new Set(Object.keys(procedures));
  const rest = Object.values(procedures).flatMap((procedure) => {
    const openapi = procedure._def.meta?.openapi;
    if (!openapi) return [];
    const pattern = new RegExp(`^${openapi.path.replace(/\/$/, '').replace(/\{[^}]+\}/g, '[^/]+')}/?$`, 'i');
    return [{ method: openapi.method, pattern, label: `${openapi.method} ${restPrefix}${openapi.path}` }];
  });

  /** `url`: the URL as received (the REST adapter rewrites request.url while it handles the call). */
  return (request: FastifyRequest, url: string): string => {
    const route = request.routeOptions.url;
    if (route === '/trpc/:path') {
      const names = String((request.params as { path?: string }).path ?? '').split(',');
      return names.every((name) => known.has(name)) ? `trpc ${[...new Set(names)].sort().join(',')}` : 'trpc <unknown>';
    }
    if (route === `${restPrefix}/*`) {
      const path = url.split('?')[0]?.slice(restPrefix.length) ?? '';
      return (
        rest.find((entry) => entry.method === request.method && entry.pattern.test(path))?.label ??
        `${request.method} ${restPrefix}/<unknown>`
      );
    }
    return route ? `${request.method} ${route}` : `${request.method} <unmatched>`;
  };
}

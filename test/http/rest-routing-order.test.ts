import { initTRPC } from '@trpc/server';
import Fastify, { type FastifyInstance } from 'fastify';
import { fastifyTRPCOpenApiPlugin, type OpenApiMeta } from 'trpc-to-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

// REST routing must not depend on the order of router keys: a literal path segment wins over a `{param}` at the
// same position, as in Fastify's own router (patches/trpc-to-openapi@3.3.0.patch, createProcedureCache).
const t = initTRPC.meta<OpenApiMeta>().create();
const routed = z.object({ route: z.string(), params: z.record(z.string(), z.string()) });

/** A GET procedure at `path` that answers with its own name and the path parameters it received. */
function route(name: string, path: `/${string}`, params: string[] = []) {
  const input = params.length ? z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) : z.void();
  return t.procedure
    .meta({ openapi: { method: 'GET', path } })
    .input(input)
    .output(routed)
    .query(({ input }) => ({ route: name, params: (input ?? {}) as Record<string, string> }));
}

// Every parametric path is listed before the literal one it overlaps with.
const router = t.router({
  kindMine: route('kindMine', '/{kind}/mine', ['kind']),
  thingById: route('thingById', '/things/{id}', ['id']),
  thingTags: route('thingTags', '/things/{id}/tags', ['id']),
  mine: route('mine', '/things/mine'),
  mineTags: route('mineTags', '/things/mine/tags'),
});

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  await app.register(fastifyTRPCOpenApiPlugin, { router, basePath: '/api' });
  await app.ready();
});
afterAll(() => app.close());

async function get(url: string) {
  const res = await app.inject({ url });
  expect(res.statusCode, url).toBe(200);
  return res.json();
}

describe('REST routing order', () => {
  it('sends a literal path to its own procedure although a {param} path is listed first', async () => {
    expect(await get('/api/things/mine')).toEqual({ route: 'mine', params: {} });
    expect(await get('/api/things/mine/tags')).toEqual({ route: 'mineTags', params: {} });
  });

  it('still sends other values to the {param} procedures', async () => {
    expect(await get('/api/things/abc')).toEqual({ route: 'thingById', params: { id: 'abc' } });
    expect(await get('/api/things/abc/tags')).toEqual({ route: 'thingTags', params: { id: 'abc' } });
    expect(await get('/api/others/mine')).toEqual({ route: 'kindMine', params: { kind: 'others' } });
  });
});

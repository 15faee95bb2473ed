// The REST fallback as an outsider sees it: types generated from /api/v1/openapi.json by openapi-typescript,
// calls made through openapi-fetch against a running server. Nothing here imports the server's types.
import { readFileSync } from 'node:fs';
import createFetchClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';
import type { components, paths } from './generated/openapi.d.ts';
import { GENERATED_TYPES_FILE, generateOpenApiTypes, REGENERATE_COMMAND } from './openapi-types.ts';

type User = components['schemas']['User'];

/** The part of an OpenAPI document the checks below read. */
interface Content {
  'application/json'?: { schema: { $ref?: string } };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content: Content }; responses: Record<string, { content?: Content }> }>>;
}
const fetchDocument = async () => (await (await fetch(`${baseUrl}/openapi.json`)).json()) as OpenApiDocument;

let t: TestApp;
let baseUrl: string;
let admin: SignedIn;
let plain: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  baseUrl = `${await t.app.listen({ port: 0, host: '127.0.0.1' })}/api/v1`;
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'], fullName: 'Ada Admin' });
  plain = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Paul Plain' });
});
afterAll(() => t.close());

const clientFor = (user: SignedIn | null) =>
  createFetchClient<paths>({ baseUrl, headers: user ? { authorization: `Bearer ${user.accessToken}` } : {} });

describe('the generated REST types', () => {
  it('match the document the server serves (regenerate when this fails)', async () => {
    const document = await fetchDocument();
    const fresh = await generateOpenApiTypes(document);
    const committed = readFileSync(GENERATED_TYPES_FILE, 'utf8');
    expect(committed === fresh, `test/client/generated/openapi.d.ts is stale: run \`${REGENERATE_COMMAND}\``).toBe(true);
  });

  it('name every request and response schema of the ten seed endpoints and document the error statuses they share', async () => {
    const document = await fetchDocument();
    const seed: [string, string][] = [
      ['/users', 'get'],
      ['/users/{id}', 'get'],
      ['/users/{id}', 'put'],
      ['/users/{id}', 'delete'],
      ['/users/me', 'get'],
      ['/users/me', 'put'],
      ['/users/me/preferences', 'get'],
      ['/users/me/preferences', 'put'],
      ['/users/me/settings', 'get'],
      ['/users/me/settings', 'put'],
    ];
    for (const [path, method] of seed) {
      const operation = document.paths[path]?.[method];
      expect(operation?.responses['200']?.content?.['application/json']?.schema.$ref, `${method} ${path} response`).toMatch(
        /^#\/components\/schemas\//,
      );
      if (method === 'put') {
        expect(operation?.requestBody?.content['application/json']?.schema.$ref, `${method} ${path} body`).toMatch(
          /^#\/components\/schemas\//,
        );
      }
      // Each lists only what it can answer (test/client/openapi-document.test.ts): these are common to all ten.
      const errors = ['401', '403', '500', '503', ...(method === 'get' ? [] : ['400', '409', '413'])];
      expect(Object.keys(operation?.responses ?? {}), `${method} ${path} statuses`).toEqual(expect.arrayContaining(errors));
    }
  });
});

describe('the ten seed endpoints through openapi-fetch', () => {
  it('GET /users: search, filter and page', async () => {
    const target = await createUser(t.db.prisma, { fullName: 'Rita Restful' });
    const { data, error, response } = await clientFor(admin).GET('/users', { params: { query: { search: 'restful', limit: 5 } } });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expectTypeOf(data!.items).toEqualTypeOf<User[]>();
    expect(data?.items.map((user) => user.id)).toEqual([target.id]);
    expect(data?.nextCursor).toBeNull();
  });

  it('GET /users/{id}', async () => {
    const { data, response } = await clientFor(admin).GET('/users/{id}', { params: { path: { id: plain.id } } });
    expect(response.status).toBe(200);
    expectTypeOf(data!.email).toEqualTypeOf<string>();
    expectTypeOf(data!.fullName).toEqualTypeOf<string | null>();
    expect(data).toMatchObject({ id: plain.id, email: plain.email, fullName: 'Paul Plain', isActive: true, roles: ['user'] });
  });

  it('PUT /users/{id}, with the version check', async () => {
    const target = await createUser(t.db.prisma, { fullName: 'Before' });
    const api = clientFor(admin);
    const before = (await api.GET('/users/{id}', { params: { path: { id: target.id } } })).data!;
    const { data, response } = await api.PUT('/users/{id}', {
      params: { path: { id: target.id } },
      body: { fullName: 'After', expectedVersion: before.version },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ id: target.id, fullName: 'After', version: before.version + 1 });

    const stale = await api.PUT('/users/{id}', {
      params: { path: { id: target.id } },
      body: { fullName: 'Lost', expectedVersion: before.version },
    });
    expect(stale.response.status).toBe(409);
    expect(stale.error).toMatchObject({ code: 'CONFLICT' });
  });

  it('DELETE /users/{id} with a reason', async () => {
    const target = await createUser(t.db.prisma);
    const { data, response } = await clientFor(admin).DELETE('/users/{id}', {
      params: { path: { id: target.id }, query: { reason: 'left the company' } },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ id: target.id, isActive: false });
    expect(data?.deactivatedAt).toEqual(expect.any(String));
  });

  it('GET /users/me', async () => {
    const { data, response } = await clientFor(plain).GET('/users/me');
    expect(response.status).toBe(200);
    expectTypeOf(data!.permissions).toEqualTypeOf<components['schemas']['Me']['permissions']>();
    expect(data).toMatchObject({ id: plain.id, permissions: expect.arrayContaining(['user:read', 'user:update']) });
  });

  it('PUT /users/me, and a field error names its field', async () => {
    const api = clientFor(plain);
    const { data, response } = await api.PUT('/users/me', { body: { bio: 'Writes REST clients', timezone: 'Europe/Paris' } });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ bio: 'Writes REST clients', timezone: 'Europe/Paris' });

    const bad = await api.PUT('/users/me', { body: { phoneNumber: '12345' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: ['phoneNumber'], message: expect.any(String) }] });
  });

  it('GET /users/me/preferences', async () => {
    const { data, response } = await clientFor(plain).GET('/users/me/preferences');
    expect(response.status).toBe(200);
    expectTypeOf(data!.theme).toEqualTypeOf<'light' | 'dark' | 'auto'>();
    expect(data).toMatchObject({
      theme: 'auto',
      language: 'en',
      dateFormat: 'YYYY-MM-DD',
      notifications: { email: true, sms: false, push: true },
    });
    expect(data?.version).toEqual(expect.any(Number));
  });

  it('PUT /users/me/preferences', async () => {
    const api = clientFor(plain);
    const { data, response } = await api.PUT('/users/me/preferences', { body: { theme: 'dark', notifications: { sms: true } } });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ theme: 'dark', notifications: { email: true, sms: true, push: true } });
  });

  it('GET /users/me/settings', async () => {
    const { data, response } = await clientFor(plain).GET('/users/me/settings', { params: { query: { category: 'ui_preferences' } } });
    expect(response.status).toBe(200);
    expect(data?.settings.map((setting) => setting.key)).toEqual(['theme']);
    expect(data?.settings[0]).toMatchObject({ key: 'theme', settingType: 'string', category: 'ui_preferences' });
  });

  it('PUT /users/me/settings, all or nothing', async () => {
    const api = clientFor(plain);
    const { data, response } = await api.PUT('/users/me/settings', { body: { settings: [{ key: 'ui.page_size', value: 50 }] } });
    expect(response.status).toBe(200);
    expect(data?.settings.find((setting) => setting.key === 'ui.page_size')).toMatchObject({ value: 50, isDefault: false });

    const bad = await api.PUT('/users/me/settings', {
      body: {
        settings: [
          { key: 'ui.page_size', value: 60 },
          { key: 'ui.page_size_typo', value: 1 },
        ],
      },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.issues?.length).toBeGreaterThan(0);
    const after = await api.GET('/users/me/settings');
    expect(after.data?.settings.find((setting) => setting.key === 'ui.page_size')?.value).toBe(50);
  });
});

describe('documented errors arrive as documented', () => {
  it('401 without a token, 403 without the permission, 404 for an unknown id', async () => {
    const anonymous = await clientFor(null).GET('/users/me');
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error).toMatchObject({ code: 'UNAUTHORIZED' });

    const forbidden = await clientFor(plain).GET('/users');
    expect(forbidden.response.status).toBe(403);
    expect(forbidden.error).toMatchObject({ code: 'FORBIDDEN' });

    const missing = await clientFor(admin).GET('/users/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ code: 'NOT_FOUND' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let alice: SignedIn;

beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: 'https://console.example.com, https://other.example.com', BODY_LIMIT: '4096' });
  alice = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Alice' });
});
afterAll(() => t.close());

describe('server shell', () => {
  it('reports health with the database checked', async () => {
    const res = await t.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('serves the same procedure over tRPC and REST, with and without a trailing slash', async () => {
    const trpc = await t.app.inject({ url: '/trpc/me.get', headers: alice.headers });
    expect(trpc.statusCode).toBe(200);
    expect(trpc.json().result.data).toMatchObject({ id: alice.id, email: alice.email, fullName: 'Alice', roles: ['user'] });
    for (const url of ['/api/v1/users/me', '/api/v1/users/me/']) {
      const rest = await t.app.inject({ url, headers: alice.headers });
      expect(rest.statusCode).toBe(200);
      expect(rest.json()).toEqual(trpc.json().result.data);
    }
  });

  it('batches tRPC calls, with long batch paths', async () => {
    const names = Array.from({ length: 40 }, () => 'me.get').join(',');
    const res = await t.app.inject({ url: `/trpc/${names}?batch=1&input=${encodeURIComponent('{}')}`, headers: alice.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(40);
  });

  it('answers 401 in the contract shape without a token, on both transports', async () => {
    const rest = await t.app.inject({ url: '/api/v1/users/me' });
    expect(rest.statusCode).toBe(401);
    expect(rest.json()).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });
    const trpc = await t.app.inject({ url: '/trpc/me.get' });
    expect(trpc.statusCode).toBe(401);
    expect(trpc.json().error.data.code).toBe('UNAUTHORIZED');
  });

  it('echoes a safe x-request-id and makes one otherwise', async () => {
    const kept = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs the route of a request, never its query string', async () => {
    const secret = 'query-secret-0123456789';
    await t.app.inject({ url: `/trpc/auth.login?input=${encodeURIComponent(JSON.stringify({ email: 'a@b.example', password: secret }))}` });
    const lines = t.logs.join('');
    expect(lines).toContain('"route":"trpc auth.login"');
    expect(lines).not.toContain(secret);
  });

  it('sets security headers on every response, errors included', async () => {
    const answers = await Promise.all([
      t.app.inject({ url: '/health' }),
      t.app.inject({ url: '/api/v1/users/me' }),
      t.app.inject({ url: '/api/v1/no-such-route' }),
    ]);
    expect(answers.map((res) => res.statusCode)).toEqual([200, 401, 404]);
    for (const res of answers) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
  });

  it('allows only the configured CORS origins', async () => {
    const allowed = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/users/me',
      headers: { origin: 'https://other.example.com', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://other.example.com');
    const denied = await t.app.inject({ url: '/health', headers: { origin: 'https://evil.example.com' } });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rejects malformed JSON, oversized bodies and unknown routes with JSON 4xx', async () => {
    const malformed = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/users/me',
      headers: { ...alice.headers, 'content-type': 'application/json' },
      payload: '{"fullName":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'BAD_REQUEST', message: 'Malformed JSON body' });

    const proto = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/users/me',
      headers: { ...alice.headers, 'content-type': 'application/json' },
      payload: '{"__proto__":{"isAdmin":true}}',
    });
    expect(proto.statusCode).toBe(400);

    const huge = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/users/me',
      headers: { ...alice.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ bio: 'x'.repeat(10_000) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('PAYLOAD_TOO_LARGE');

    const unknown = await t.app.inject({ url: '/nowhere' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('names each bad or unknown field in the same issues on both transports', async () => {
    const payload = { fullName: '', email: 'x@example.com', roles: ['admin'] };
    const rest = await t.app.inject({ method: 'PUT', url: '/api/v1/users/me', headers: alice.headers, payload });
    expect(rest.statusCode).toBe(400);
    const expected = expect.arrayContaining([
      { path: ['fullName'], message: expect.any(String) },
      { path: ['email'], message: 'is not a field that can be set here' },
      { path: ['roles'], message: 'is not a field that can be set here' },
    ]);
    expect(rest.json()).toMatchObject({ code: 'BAD_REQUEST', message: 'Input validation failed', issues: expected });
    expect(rest.json().issues).toHaveLength(3);
    const trpc = await t.app.inject({ method: 'POST', url: '/trpc/me.update', headers: alice.headers, payload });
    expect(trpc.statusCode).toBe(400);
    expect(trpc.json().error.data.issues).toEqual(rest.json().issues);
  });

  it('publishes the OpenAPI document and interactive docs', async () => {
    const doc = await t.app.inject({ url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1/), paths: { '/users/me': { get: expect.any(Object) } } });
    const docs = await t.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('exports Prometheus metrics per route template, never per raw URL', async () => {
    await t.app.inject({ url: '/api/v1/users/me', headers: alice.headers });
    await t.app.inject({ url: `/trpc/me.get`, headers: alice.headers });
    await t.app.inject({ url: '/api/v1/no/such/thing' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('http_requests_total{route="GET /api/v1/users/me",status_code="200"}');
    expect(res.body).toContain('http_requests_total{route="trpc me.get",status_code="200"}');
    expect(res.body).toContain('http_request_duration_seconds_bucket{le="0.005",route="GET /api/v1/users/me",status_code="200"}');
    expect(res.body).not.toContain('no/such/thing');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let user: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  user = await createSignedInUser(t.db.prisma, t.config);
});
afterAll(() => t?.close());

/** The parsed log lines of one request, found by its id. */
const linesOf = (requestId: string) =>
  t.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.reqId === requestId);

describe('the access log', () => {
  it('writes one line per request: method, route template, status, duration, request id and the signed-in user', async () => {
    const res = await rest(t.app, 'GET', `/users/${user.id}`, { headers: user.headers });
    expect(res.statusCode).toBe(200);
    const requestId = String(res.headers['x-request-id']);
    const lines = linesOf(requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      route: 'GET /api/v1/users/{id}',
      status: 200,
      userId: user.id,
    });
    expect(lines[0]?.ms).toBeTypeOf('number');
    expect(JSON.stringify(lines[0])).not.toContain(user.accessToken);
  });

  it('names no user when the request proved none, and logs its refusal', async () => {
    const res = await rest(t.app, 'GET', '/users/me', { headers: { authorization: 'Bearer not-a-token' } });
    expect(res.statusCode).toBe(401);
    const [line, ...more] = linesOf(String(res.headers['x-request-id']));
    expect(more).toHaveLength(0);
    expect(line).toMatchObject({ method: 'GET', route: 'GET /api/v1/users/me', status: 401 });
    expect(line).not.toHaveProperty('userId');
  });

  it('labels a tRPC call by its procedure, and an unknown path without echoing it', async () => {
    const call = await trpc(t.app, 'query', 'users.byId', { headers: user.headers, input: { id: user.id } });
    expect(call.statusCode).toBe(200);
    expect(linesOf(String(call.headers['x-request-id']))).toMatchObject([{ route: 'trpc users.byId', status: 200, userId: user.id }]);

    const unknown = await t.app.inject({ method: 'GET', url: '/no/such/page-0123' });
    expect(unknown.statusCode).toBe(404);
    const [line] = linesOf(String(unknown.headers['x-request-id']));
    expect(line).toMatchObject({ method: 'GET', status: 404 });
    expect(JSON.stringify(line)).not.toContain('page-0123');
  });
});

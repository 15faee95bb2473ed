import { randomUUID } from 'node:crypto';
import type { Permission } from '@ums/contract';
import { ZMe, ZSessionList, ZUser, ZUserList } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createTestApp, type TestApp } from '../support/app.ts';
import { type RestMethod, rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn, signIn } from '../support/users.ts';

// Every route of the users and me routers, called by every kind of caller over both transports.
type Caller = 'anonymous' | 'nobody' | 'user' | 'viewer' | 'admin';
const callerNames: Caller[] = ['anonymous', 'nobody', 'user', 'viewer', 'admin'];
const customRoles: Record<string, Permission[]> = { nobody: [], viewer: ['users:read'] };

let t: TestApp;
const callers = new Map<Caller, SignedIn>();

beforeAll(async () => {
  t = await createTestApp();
  for (const [name, permissions] of Object.entries(customRoles)) {
    await t.db.prisma.role.create({ data: { name, permissions: { create: permissions.map((permission) => ({ permission })) } } });
  }
  callers.set('nobody', await createSignedInUser(t.db.prisma, t.config, { roles: ['nobody'] }));
  callers.set('user', await createSignedInUser(t.db.prisma, t.config, { roles: ['user'] }));
  callers.set('viewer', await createSignedInUser(t.db.prisma, t.config, { roles: ['viewer'] }));
  callers.set('admin', await createSignedInUser(t.db.prisma, t.config, { roles: ['user', 'admin'] }));
  // A second active admin, so deactivating and re-roling targets never trips the last-admin guard.
  await createUser(t.db.prisma, { roles: ['admin'] });
});
afterAll(() => t.close());

interface Call {
  input: unknown;
  rest: { method: RestMethod; url: string; body?: unknown };
}

interface Route {
  procedure: string;
  kind: 'query' | 'mutation';
  allowed: readonly Caller[];
  /** What a permitted call answers: a REST status and a check of the body (both transports). */
  status: 200 | 204;
  call: (caller: SignedIn | undefined) => Promise<Call>;
  check: (body: unknown, caller: SignedIn) => void;
}

const newTarget = () => createUser(t.db.prisma, { fullName: 'Target' });
const expectUser = (schema: z.ZodType<{ id: string }>, id: () => string) => (body: unknown) => expect(schema.parse(body).id).toBe(id());

let lastTarget = '';
const target = async () => {
  lastTarget = (await newTarget()).id;
  return lastTarget;
};

const routes: Route[] = [
  {
    procedure: 'users.list',
    kind: 'query',
    allowed: ['viewer', 'admin'],
    status: 200,
    call: async () => ({ input: { limit: 5 }, rest: { method: 'GET', url: '/users?limit=5' } }),
    check: (body) => expect(ZUserList.parse(body).items).toHaveLength(5),
  },
  {
    procedure: 'users.byId',
    kind: 'query',
    allowed: ['viewer', 'admin'],
    status: 200,
    call: async () => {
      const id = await target();
      return { input: { id }, rest: { method: 'GET', url: `/users/${id}` } };
    },
    check: expectUser(ZUser, () => lastTarget),
  },
  {
    procedure: 'users.update',
    kind: 'mutation',
    allowed: ['admin'],
    status: 200,
    call: async () => {
      const id = await target();
      return { input: { id, bio: 'edited' }, rest: { method: 'PUT', url: `/users/${id}`, body: { bio: 'edited' } } };
    },
    check: (body) => expect(ZUser.parse(body)).toMatchObject({ id: lastTarget, bio: 'edited', version: 2 }),
  },
  {
    procedure: 'users.deactivate',
    kind: 'mutation',
    allowed: ['admin'],
    status: 200,
    call: async () => {
      const id = await target();
      return { input: { id, reason: 'matrix' }, rest: { method: 'DELETE', url: `/users/${id}?reason=matrix` } };
    },
    check: (body) => expect(ZUser.parse(body)).toMatchObject({ id: lastTarget, isActive: false }),
  },
  {
    procedure: 'users.reactivate',
    kind: 'mutation',
    allowed: ['admin'],
    status: 200,
    call: async () => {
      const id = await target();
      await t.db.prisma.user.update({ where: { id }, data: { isActive: false, deactivatedAt: new Date() } });
      return { input: { id }, rest: { method: 'POST', url: `/users/${id}/reactivate` } };
    },
    check: (body) => expect(ZUser.parse(body)).toMatchObject({ id: lastTarget, isActive: true, deactivatedAt: null }),
  },
  {
    procedure: 'users.roles.set',
    kind: 'mutation',
    allowed: ['admin'],
    status: 200,
    call: async () => {
      const id = await target();
      return {
        input: { id, roles: ['user', 'viewer'] },
        rest: { method: 'PUT', url: `/users/${id}/roles`, body: { roles: ['user', 'viewer'] } },
      };
    },
    check: (body) => expect(ZUser.parse(body)).toMatchObject({ id: lastTarget, roles: ['user', 'viewer'] }),
  },
  {
    procedure: 'me.get',
    kind: 'query',
    allowed: ['user', 'admin'],
    status: 200,
    call: async () => ({ input: undefined, rest: { method: 'GET', url: '/users/me' } }),
    check: (body, caller) => {
      const me = ZMe.parse(body);
      expect(me.id).toBe(caller.id);
      expect(me.permissions).toContain('user:read');
    },
  },
  {
    procedure: 'me.update',
    kind: 'mutation',
    allowed: ['user', 'admin'],
    status: 200,
    call: async () => ({ input: { bio: 'about me' }, rest: { method: 'PUT', url: '/users/me', body: { bio: 'about me' } } }),
    check: (body, caller) => expect(ZUser.parse(body)).toMatchObject({ id: caller.id, bio: 'about me' }),
  },
  {
    procedure: 'me.sessions.list',
    kind: 'query',
    allowed: ['user', 'admin'],
    status: 200,
    call: async () => ({ input: undefined, rest: { method: 'GET', url: '/users/me/sessions' } }),
    check: (body, caller) => {
      const current = ZSessionList.parse(body).items.filter((session) => session.current);
      expect(current.map((session) => session.id)).toEqual([caller.sessionId]);
    },
  },
  {
    procedure: 'me.sessions.revoke',
    kind: 'mutation',
    allowed: ['user', 'admin'],
    status: 204,
    call: async (caller) => {
      // Another session of the caller's own (or a random id for the anonymous caller).
      const sessionId = caller ? (await signIn(t.db.prisma, t.config, caller)).sessionId : randomUUID();
      return { input: { sessionId }, rest: { method: 'DELETE', url: `/users/me/sessions/${sessionId}` } };
    },
    check: () => {},
  },
];

describe('access to the users and me routes', () => {
  for (const route of routes) {
    for (const callerName of callerNames) {
      const allowed = route.allowed.includes(callerName);
      const expected = allowed ? route.status : callerName === 'anonymous' ? 401 : 403;
      it(`${route.procedure} as ${callerName} → ${expected} over REST and tRPC`, async () => {
        const caller = callers.get(callerName);
        const headers = caller?.headers ?? {};

        const restCall = await route.call(caller);
        const restRes = await rest(t.app, restCall.rest.method, restCall.rest.url, { headers, body: restCall.rest.body });
        expect(restRes.statusCode, restRes.body).toBe(expected);
        if (allowed && caller) route.check(restRes.body === '' ? undefined : restRes.json(), caller);
        if (!allowed) expect(restRes.json()).toMatchObject({ code: expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN' });

        const trpcCall = await route.call(caller);
        const trpcRes = await trpc(t.app, route.kind, route.procedure, { headers, input: trpcCall.input });
        expect(trpcRes.statusCode, trpcRes.body).toBe(allowed ? 200 : expected);
        if (allowed && caller) route.check(trpcData(trpcRes), caller);
        if (!allowed) expect(trpcError(trpcRes)?.data.code).toBe(expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
      });
    }
  }

  it('lets a user read their own full profile by id, and no one else’s', async () => {
    const user = callers.get('user')!;
    const own = await rest(t.app, 'GET', `/users/${user.id}`, { headers: user.headers });
    expect(own.statusCode).toBe(200);
    expect(ZUser.parse(own.json())).toMatchObject({ id: user.id, email: user.email });
    const other = await rest(t.app, 'GET', `/users/${callers.get('viewer')!.id}`, { headers: user.headers });
    expect(other.statusCode).toBe(403);
    // A user without even user:read still reaches their own profile through users.byId (self).
    const nobody = callers.get('nobody')!;
    expect((await trpc(t.app, 'query', 'users.byId', { headers: nobody.headers, input: { id: nobody.id } })).statusCode).toBe(200);
  });

  it('answers 404 for an unknown user id and 400 for a malformed one', async () => {
    const admin = callers.get('admin')!;
    expect((await rest(t.app, 'GET', `/users/${randomUUID()}`, { headers: admin.headers })).statusCode).toBe(404);
    expect((await rest(t.app, 'PUT', `/users/${randomUUID()}`, { headers: admin.headers, body: { bio: 'x' } })).statusCode).toBe(404);
    expect((await rest(t.app, 'DELETE', `/users/${randomUUID()}`, { headers: admin.headers })).statusCode).toBe(404);
    expect((await rest(t.app, 'POST', `/users/${randomUUID()}/reactivate`, { headers: admin.headers })).statusCode).toBe(404);
    expect(
      (await rest(t.app, 'PUT', `/users/${randomUUID()}/roles`, { headers: admin.headers, body: { roles: ['user'] } })).statusCode,
    ).toBe(404);
    const malformed = await rest(t.app, 'GET', '/users/not-a-uuid', { headers: admin.headers });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ issues: [{ path: ['id'] }] });
  });
});

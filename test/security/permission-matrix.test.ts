import { randomUUID } from 'node:crypto';
import {
  bulkActionPermissions,
  IMPERSONATION_REASONS,
  type Permission,
  permissionNames,
  roleBulkActions,
  type TBulkAction,
} from '@ums/contract';
import { appRouter } from '@ums/server';
import type { Access, Meta } from '@ums/server/src/trpc/meta.ts';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { type RestMethod, rest, trpc } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

// Generated from the router itself: every procedure, over tRPC and over REST, is checked against the access rule
// its meta declares. A procedure added tomorrow is covered without touching this file; one that declares no access
// rule, or is not served over REST, fails the suite.

interface Procedure {
  path: string;
  type: string;
  access: Access | undefined;
  openapi: { method: string; path: string } | undefined;
}

// At run time `_def.procedures` is flat, keyed by the dotted path; its static type mirrors the nesting.
const flatProcedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; meta?: Meta } }>;

const procedures: Procedure[] = Object.entries(flatProcedures)
  .map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    access: procedure._def.meta?.access,
    openapi: procedure._def.meta?.openapi,
  }))
  .sort((a, b) => a.path.localeCompare(b.path));

/**
 * API.md's access and REST columns, for the procedures it names: the matrix proves each procedure does what its
 * meta declares; this proves the meta declares what the contract says. Procedures the contract does not name
 * (the server may add some) are covered by the matrix alone.
 */
const perm = (permission: Permission, orSelf?: true): Access => ({ kind: 'permission', permission, ...(orSelf ? { orSelf } : {}) });
/** Several permissions, all required (the first is the one `permission` names). */
const perms = (permission: Permission, ...alsoRequires: Permission[]): Access => ({ kind: 'permission', permission, alsoRequires });
/** Every permission an access rule requires. */
const requiredPermissions = (access: Access): Permission[] =>
  access.kind === 'permission' ? [access.permission, ...(access.alsoRequires ?? [])] : [];
const PUBLIC: Access = { kind: 'public' };
const SIGNED_IN: Access = { kind: 'signedIn' };
/** "recent" in API.md: step-up required. */
const recent = (access: Access): Access => ({ ...access, recent: true }) as Access;
/** Open to a holder of an MFA-required role who has no factor yet (API.md's list: me.get, me.mfa.*, …). */
const duringEnrolment = (access: Access): Access => ({ ...access, duringMfaEnrolment: true }) as Access;
const contract: Record<string, [Access, string]> = {
  'auth.register': [PUBLIC, 'POST /auth/register'],
  'auth.login': [PUBLIC, 'POST /auth/login'],
  'auth.refresh': [PUBLIC, 'POST /auth/refresh'],
  'auth.logout': [duringEnrolment(SIGNED_IN), 'POST /auth/logout'],
  'auth.logoutAll': [SIGNED_IN, 'POST /auth/logout-all'],
  'auth.changePassword': [recent(SIGNED_IN), 'POST /auth/change-password'],
  'auth.mfa.verify': [PUBLIC, 'POST /auth/mfa/verify'],
  'auth.reauthenticate': [{ ...duringEnrolment(SIGNED_IN), notDuringImpersonation: true } as Access, 'POST /auth/reauthenticate'],
  'me.mfa.get': [duringEnrolment(perm('user:read')), 'GET /users/me/mfa'],
  'me.mfa.totp.setup': [duringEnrolment(recent(perm('user:update'))), 'POST /users/me/mfa/totp/setup'],
  'me.mfa.totp.confirm': [duringEnrolment(perm('user:update')), 'POST /users/me/mfa/totp/confirm'],
  'me.mfa.totp.disable': [duringEnrolment(recent(perm('user:update'))), 'POST /users/me/mfa/totp/disable'],
  'me.mfa.recoveryCodes.regenerate': [duringEnrolment(recent(perm('user:update'))), 'POST /users/me/mfa/recovery-codes'],
  'users.mfa.reset': [recent(perm('users:update')), 'POST /users/{id}/mfa/reset'],
  'me.email.change': [recent(perm('user:update')), 'POST /users/me/email'],
  'users.list': [perm('users:read'), 'GET /users'],
  'users.byId': [perm('users:read', true), 'GET /users/{id}'],
  'users.publicProfile': [SIGNED_IN, 'GET /users/{id}/public'],
  'users.update': [perm('users:update'), 'PUT /users/{id}'],
  'users.deactivate': [perm('users:delete'), 'DELETE /users/{id}'],
  'users.reactivate': [perm('users:update'), 'POST /users/{id}/reactivate'],
  'users.erase': [recent(perm('users:delete')), 'POST /users/{id}/erase'],
  'me.delete': [recent(perm('user:update')), 'POST /users/me/delete'],
  'users.roles.set': [perm('roles:assign'), 'PUT /users/{id}/roles'],
  'users.bulk': [{ kind: 'permissionPerAction', permissions: bulkActionPermissions }, 'POST /users/bulk'],
  'users.impersonate': [recent(perm('users:impersonate')), 'POST /users/{id}/impersonate'],
  'users.settings.get': [perm('users:read'), 'GET /users/{id}/settings'],
  'users.settings.update': [perm('users:update'), 'PUT /users/{id}/settings'],
  'me.get': [duringEnrolment(perm('user:read')), 'GET /users/me'],
  'me.update': [perm('user:update'), 'PUT /users/me'],
  'me.preferences.get': [perm('user:read'), 'GET /users/me/preferences'],
  'me.preferences.update': [perm('user:update'), 'PUT /users/me/preferences'],
  'me.settings.get': [perm('user:read'), 'GET /users/me/settings'],
  'me.settings.update': [perm('user:update'), 'PUT /users/me/settings'],
  'me.sessions.list': [perm('user:read'), 'GET /users/me/sessions'],
  'me.sessions.revoke': [perm('user:update'), 'DELETE /users/me/sessions/{sessionId}'],
  'settings.catalog': [SIGNED_IN, 'GET /settings/catalog'],
  'rbac.permissions.list': [perm('roles:read'), 'GET /rbac/permissions'],
  'rbac.roles.list': [perm('roles:read'), 'GET /rbac/roles'],
  'rbac.roles.create': [perm('roles:manage'), 'POST /rbac/roles'],
  'rbac.roles.update': [perm('roles:manage'), 'PUT /rbac/roles/{name}'],
  'rbac.roles.delete': [perm('roles:manage'), 'DELETE /rbac/roles/{name}'],
  'audit.list': [perm('audit:read'), 'GET /audit-events'],
  'webhooks.list': [perm('webhooks:manage'), 'GET /webhooks'],
  'webhooks.create': [perm('webhooks:manage'), 'POST /webhooks'],
  'webhooks.update': [perm('webhooks:manage'), 'PUT /webhooks/{id}'],
  'webhooks.delete': [perm('webhooks:manage'), 'DELETE /webhooks/{id}'],
  'webhooks.rotateSecret': [perm('webhooks:manage'), 'POST /webhooks/{id}/rotate-secret'],
  'webhooks.deliveries': [perm('webhooks:manage'), 'GET /webhooks/{id}/deliveries'],
  'webhooks.redeliver': [perm('webhooks:manage'), 'POST /webhooks/deliveries/{attemptId}/redeliver'],
  'webhooks.test': [perm('webhooks:manage'), 'POST /webhooks/{id}/test'],
  'stats.overview': [perm('users:read'), 'GET /stats/overview'],
  'me.export': [perm('user:read'), 'GET /users/me/export'],
  'users.export': [perms('users:read', 'audit:read'), 'GET /users/{id}/export'],
};

/** API.md's "recent" procedures (those not built yet are simply absent from the router). */
const RECENT = [
  'auth.changePassword',
  'me.email.change',
  'me.mfa.totp.setup',
  'me.mfa.totp.disable',
  'me.mfa.recoveryCodes.regenerate',
  'users.mfa.reset',
  'me.passkeys.registrationOptions',
  'me.passkeys.register',
  'me.passkeys.delete',
  'users.impersonate',
  'me.delete',
  'users.erase',
];
/** API.md's procedures open during MFA enrolment: me.get, me.mfa.*, me.passkeys.*, auth.reauthenticate, auth.logout. */
const openDuringEnrolment = (path: string) =>
  path === 'me.get' || path === 'auth.reauthenticate' || path === 'auth.logout' || /^me\.(mfa|passkeys)\./.test(path);

const TRANSPORTS = ['trpc', 'rest'] as const;
type Transport = (typeof TRANSPORTS)[number];

let t: TestApp;
/** Per permission: a caller whose roles hold every permission but that one. */
const deniedCallers = new Map<Permission, SignedIn>();
const roleName = (prefix: string, permission: Permission) => `${prefix}-${permission.replace(':', '-')}`;

const MFA_ROLE = 'matrix-mfa-required';

beforeAll(async () => {
  t = await createTestApp();
  await t.db.prisma.role.create({ data: { name: MFA_ROLE, requireMfa: true } });
  for (const permission of permissionNames) {
    await t.db.prisma.role.create({
      data: { name: roleName('matrix-only', permission), permissions: { create: [{ permission }] } },
    });
    await t.db.prisma.role.create({
      data: {
        name: roleName('matrix-all-but', permission),
        permissions: { create: permissionNames.filter((other) => other !== permission).map((other) => ({ permission: other })) },
      },
    });
    deniedCallers.set(permission, await createSignedInUser(t.db.prisma, t.config, { roles: [roleName('matrix-all-but', permission)] }));
  }
});
afterAll(async () => {
  console.log(`permission matrix: ${procedures.length} procedures × ${TRANSPORTS.length} transports`);
  await t?.close();
});

/**
 * A caller made for one call only (procedures like auth.logout end the caller's own sessions), holding the required
 * permission and, with `extraRoles`, more.
 */
const freshCaller = (access: Access, extraRoles: string[] = []) =>
  createSignedInUser(t.db.prisma, t.config, {
    roles: [...requiredPermissions(access).map((permission) => roleName('matrix-only', permission)), ...extraRoles],
  });

/** A session that proved its last factor 20 minutes ago: past REAUTH_MAX_AGE (600 s by default). */
const staleSession = (caller: SignedIn) =>
  t.db.prisma.userSession.update({ where: { id: caller.sessionId }, data: { authenticatedAt: new Date(Date.now() - 20 * 60_000) } });

/** The caller's session made an impersonation session (users.impersonate), as if an administrator acted in it. */
const impersonated = async (caller: SignedIn) => {
  await t.db.prisma.userSession.update({ where: { id: caller.sessionId }, data: { impersonatorId: randomUUID() } });
  return caller;
};

const reasonOf = (res: LightMyRequestResponse, transport: Transport): string | undefined =>
  transport === 'rest' ? res.json().reason : res.json().error?.data?.reason;

/** `input` goes to tRPC as is; over REST, `input.id` fills an `{id}` path parameter and the others get random ids. */
function call(
  procedure: Procedure,
  transport: Transport,
  caller: SignedIn | null,
  input?: { id: string } | BulkInput,
): Promise<LightMyRequestResponse> {
  const headers = caller ? caller.headers : {};
  if (transport === 'rest') {
    const openapi = procedure.openapi!;
    const id = input && 'id' in input ? input.id : undefined;
    const path = openapi.path.replace(/\{([^}]+)\}/g, (_param, name) => (name === 'id' && id ? id : randomUUID()));
    return rest(t.app, openapi.method as RestMethod, path, { headers, ...(input && 'action' in input ? { body: input } : {}) });
  }
  return trpc(t.app, procedure.type === 'query' ? 'query' : 'mutation', procedure.path, { headers, input });
}

/** A permission-per-action procedure (users.bulk) is called with each action, aimed at a user who does not exist. */
type BulkInput = { action: TBulkAction; ids: string[]; role?: string };
const actionsOf = (access: Access) =>
  access.kind === 'permissionPerAction' ? (Object.entries(access.permissions) as [TBulkAction, Permission][]) : [];
const bulkInput = (action: TBulkAction): BulkInput => ({
  action,
  ids: [randomUUID()],
  ...(roleBulkActions.includes(action) ? { role: 'user' } : {}),
});

const describeStatus = (res: LightMyRequestResponse) => `${res.statusCode} ${res.body.slice(0, 300)}`;

/** Let through: the guard did not refuse, the route exists, and bad or missing input was not a server fault. */
function expectLetThrough(res: LightMyRequestResponse) {
  expect([401, 403], describeStatus(res)).not.toContain(res.statusCode);
  expect(res.statusCode, describeStatus(res)).toBeLessThan(500);
  if (res.statusCode === 404) expect(res.body, 'the REST route must exist').not.toMatch(/No route/);
}

describe('permission matrix', () => {
  it('covers the procedures of every domain', () => {
    const paths = procedures.map((procedure) => procedure.path);
    expect(paths).toEqual(
      expect.arrayContaining(['rbac.permissions.list', 'rbac.roles.create', 'rbac.roles.delete', 'audit.list', 'me.get']),
    );
  });

  it('finds an access rule and a REST route on every procedure', () => {
    const withoutAccess = procedures.filter((procedure) => !procedure.access).map((procedure) => procedure.path);
    const withoutRest = procedures.filter((procedure) => !procedure.openapi).map((procedure) => procedure.path);
    expect(withoutAccess, 'procedures without meta.access').toEqual([]);
    expect(withoutRest, 'procedures without meta.openapi').toEqual([]);
    for (const { path, access } of procedures) {
      if (access?.kind === 'permission') {
        for (const permission of requiredPermissions(access)) expect(permissionNames, `${path}: unknown permission`).toContain(permission);
      } else if (access?.kind === 'permissionPerAction') {
        for (const [action, permission] of actionsOf(access)) expect(permissionNames, `${path} ${action}`).toContain(permission);
      } else expect(['public', 'signedIn'], `${path}: unknown access kind`).toContain(access?.kind);
    }
  });

  it('declares the access rule and REST route API.md gives each procedure it names', () => {
    const declared = procedures
      .filter(({ path }) => path in contract)
      .map(({ path, access, openapi }) => [path, access, `${openapi?.method} ${openapi?.path}`]);
    expect(declared).toEqual(procedures.filter(({ path }) => path in contract).map(({ path }) => [path, ...contract[path]!]));
  });

  it('declares "recent" on exactly the procedures API.md marks recent', () => {
    const declared = procedures.filter(({ access }) => access?.kind !== 'public' && access?.recent === true).map(({ path }) => path);
    const existing = new Set(procedures.map(({ path }) => path));
    expect(declared.sort()).toEqual(RECENT.filter((path) => existing.has(path)).sort());
  });

  it('opens exactly the procedures API.md lists to a caller who must enrol in MFA', () => {
    const declared = procedures
      .filter(({ access }) => access?.kind !== 'public' && access?.duringMfaEnrolment === true)
      .map(({ path }) => path);
    const signedIn = procedures.filter(({ access }) => access?.kind !== 'public').map(({ path }) => path);
    expect(declared.sort()).toEqual(signedIn.filter(openDuringEnrolment).sort());
  });

  it('maps every procedure to its own REST route', () => {
    const routes = procedures.map(({ openapi }) => `${openapi?.method} ${openapi?.path.replace(/\{[^}]+\}/g, '{}').replace(/\/$/, '')}`);
    expect(routes.filter((route, index) => routes.indexOf(route) !== index)).toEqual([]);
  });

  describe.each(procedures)('$path', (procedure) => {
    const rule = (): Access => {
      expect(procedure.access, `${procedure.path} declares no meta.access`).toBeDefined();
      expect(procedure.openapi, `${procedure.path} declares no meta.openapi`).toBeDefined();
      return procedure.access!;
    };

    it.each(TRANSPORTS)('signed out: 401 unless public (%s)', async (transport) => {
      const access = rule();
      const res = await call(procedure, transport, null);
      if (access.kind === 'public') expectLetThrough(res);
      else {
        expect(res.statusCode, describeStatus(res)).toBe(401);
        const code = transport === 'rest' ? res.json().code : res.json().error.data.code;
        expect(code).toBe('UNAUTHORIZED');
      }
    });

    it.each(TRANSPORTS)('every permission but a required one: 403, for each required one (%s)', async (transport) => {
      const access = rule();
      if (access.kind !== 'permission') return;
      for (const permission of requiredPermissions(access)) {
        const caller = deniedCallers.get(permission)!;
        // `orSelf` procedures are aimed at another user's id.
        const res = await call(procedure, transport, caller, access.orSelf ? { id: randomUUID() } : undefined);
        expect(res.statusCode, `without ${permission}: ${describeStatus(res)}`).toBe(403);
        const code = transport === 'rest' ? res.json().code : res.json().error.data.code;
        expect(code).toBe('FORBIDDEN');
      }
    });

    it.each(TRANSPORTS)("per action: every permission but the action's: 403, only the action's: let through (%s)", async (transport) => {
      const access = rule();
      if (access.kind !== 'permissionPerAction') return;
      expect(Object.keys(access.permissions).sort()).toEqual(Object.keys(bulkActionPermissions).sort());
      for (const [action, permission] of actionsOf(access)) {
        const denied = await call(procedure, transport, deniedCallers.get(permission)!, bulkInput(action));
        expect(denied.statusCode, `${action}: ${describeStatus(denied)}`).toBe(403);
        const only = await createSignedInUser(t.db.prisma, t.config, { roles: [roleName('matrix-only', permission)] });
        const allowed = await call(procedure, transport, only, bulkInput(action));
        expectLetThrough(allowed);
        expect(allowed.statusCode, `${action}: ${describeStatus(allowed)}`).toBe(200);
      }
    });

    it.each(TRANSPORTS)('orSelf: no permission at all, aimed at the caller: let through (%s)', async (transport) => {
      const access = rule();
      if (access.kind !== 'permission' || !access.orSelf) return;
      const caller = await createSignedInUser(t.db.prisma, t.config, { roles: [] });
      expectLetThrough(await call(procedure, transport, caller, { id: caller.id }));
    });

    it.each(TRANSPORTS)('only the required permission: let through (%s)', async (transport) => {
      const access = rule();
      const caller = access.kind === 'public' ? null : await freshCaller(access);
      expectLetThrough(await call(procedure, transport, caller));
    });

    it.each(TRANSPORTS)('recent: a session past REAUTH_MAX_AGE gets 403 REAUTH_REQUIRED only where declared (%s)', async (transport) => {
      const access = rule();
      if (access.kind === 'public') return;
      const caller = await freshCaller(access);
      await staleSession(caller);
      const res = await call(procedure, transport, caller);
      if (access.recent) {
        expect(res.statusCode, describeStatus(res)).toBe(403);
        expect(reasonOf(res, transport)).toBe('REAUTH_REQUIRED');
      } else {
        expectLetThrough(res);
      }
    });

    it.each(TRANSPORTS)(
      'impersonation session: 403 IMPERSONATION_NOT_ALLOWED exactly where recent or notDuringImpersonation (%s)',
      async (transport) => {
        const access = rule();
        if (access.kind === 'public') return;
        const res = await call(procedure, transport, await impersonated(await freshCaller(access)));
        if (access.recent || access.notDuringImpersonation) {
          expect(res.statusCode, describeStatus(res)).toBe(403);
          expect(reasonOf(res, transport)).toBe(IMPERSONATION_REASONS.notAllowed);
        } else {
          expectLetThrough(res);
        }
      },
    );

    it.each(TRANSPORTS)(
      'MFA required by a role, no factor: 403 MFA_ENROLMENT_REQUIRED unless open to enrolment (%s)',
      async (transport) => {
        const access = rule();
        if (access.kind === 'public') return;
        const res = await call(procedure, transport, await freshCaller(access, [MFA_ROLE]));
        if (access.duringMfaEnrolment) {
          expectLetThrough(res);
        } else {
          expect(res.statusCode, describeStatus(res)).toBe(403);
          expect(reasonOf(res, transport)).toBe('MFA_ENROLMENT_REQUIRED');
        }
      },
    );
  });
});

// The REST document as a reader and a generator see it, built from the router alone: every operation explained,
// with examples that fit its schemas, and exactly the statuses it can answer.
import { appRouter, buildOpenApiDocument } from '@ums/server';
import { describe, expect, it } from 'vitest';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  description?: string;
  tags: string[];
  security: Json[];
  parameters?: { name: string; description?: string; example?: unknown }[];
  requestBody?: { content: { 'application/json': { schema: { $ref: string }; example?: unknown } } };
  responses: Record<string, { description: string; headers?: Json; content?: { 'application/json': { example?: unknown } } }>;
}
interface ZodLike {
  safeParse(value: unknown): { success: boolean; error?: unknown };
  _zod: { def: { type: string } };
}
interface ProcedureDef {
  meta?: {
    openapi?: { method: string; path: string };
    access?: { kind: string; recent?: boolean; duringMfaEnrolment?: boolean; notDuringImpersonation?: boolean };
    rateLimited?: boolean;
    successStatus?: number;
  };
  inputs: ZodLike[];
  output?: ZodLike;
}

const PUBLIC_URL = 'https://users.example.org';
const document = buildOpenApiDocument(appRouter, PUBLIC_URL) as unknown as {
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  info: { description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>).map(
  ([path, procedure]) => ({
    path,
    def: procedure._def,
  }),
);
const operationOf = (def: ProcedureDef) => document.paths[def.meta!.openapi!.path]![def.meta!.openapi!.method.toLowerCase()]!;
const isVoid = (schema: ZodLike | undefined) => !schema || ['void', 'undefined'].includes(schema._zod.def.type);
const statusesOf = (def: ProcedureDef) => Object.keys(operationOf(def).responses);

describe('every operation of the router', () => {
  it('is in the document, with a description and a declared tag', () => {
    const tags = new Set(document.tags.map((tag) => tag.name));
    for (const { path, def } of procedures) {
      const operation = operationOf(def);
      expect(operation, path).toBeDefined();
      expect(operation.description?.length ?? 0, `${path} description`).toBeGreaterThan(40);
      for (const tag of operation.tags) expect(tags.has(tag), `${path} tag ${tag}`).toBe(true);
    }
    expect(document.tags.every((tag) => tag.description.length > 0)).toBe(true);
  });

  it('has an example request that its input schema accepts, and an example response its output schema accepts', () => {
    for (const { path, def } of procedures) {
      const operation = operationOf(def);
      const success = operation.responses[String(def.meta?.successStatus ?? 200)];
      expect(success, `${path} success response`).toBeDefined();
      if (!isVoid(def.output)) {
        const example = success!.content?.['application/json'].example;
        expect(example, `${path} example response`).toBeDefined();
        const parsed = def.output!.safeParse(example);
        expect(parsed.success, `${path} example response: ${String(parsed.error)}`).toBe(true);
      }
      if (!isVoid(def.inputs[0])) {
        const body = operation.requestBody?.content['application/json'].example as Json | undefined;
        const fromParameters = Object.fromEntries(
          (operation.parameters ?? []).flatMap((p) => (p.example === undefined ? [] : [[p.name, p.example]])),
        );
        const request = { ...fromParameters, ...body };
        expect(Object.keys(request).length, `${path} example request`).toBeGreaterThan(0);
        const parsed = def.inputs[0]!.safeParse(request);
        expect(parsed.success, `${path} example request: ${String(parsed.error)}`).toBe(true);
      }
    }
  });

  it('describes every parameter and every property of every schema', () => {
    const undescribed: string[] = [];
    for (const { path, def } of procedures) {
      for (const parameter of operationOf(def).parameters ?? []) if (!parameter.description) undescribed.push(`${path} ?${parameter.name}`);
    }
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      for (const [property, value] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
        if (!value.description && !value.$ref) undescribed.push(`${name}.${property}`);
      }
    }
    expect(undescribed).toEqual([]);
  });
});

describe('the statuses each operation can answer', () => {
  it('public operations say `security: []` and answer no 401 for a missing token; others need the bearer token', () => {
    for (const { path, def } of procedures) {
      const operation = operationOf(def);
      if (def.meta?.access?.kind === 'public') expect(operation.security, path).toEqual([]);
      else expect(operation.security, path).toEqual([{ bearerAuth: [] }]);
      if (def.meta?.access?.kind !== 'public') expect(statusesOf(def), path).toEqual(expect.arrayContaining(['401']));
      if (def.meta?.access?.kind === 'permission' || def.meta?.access?.kind === 'permissionPerAction') {
        expect(statusesOf(def), path).toEqual(expect.arrayContaining(['403']));
      }
      // A signed-in operation answers 403 only for the session requirements (API.md, MFA): MFA_ENROLMENT_REQUIRED unless it is
      // open during enrolment, REAUTH_REQUIRED when it is "recent", IMPERSONATION_NOT_ALLOWED when an impersonation may not call it.
      const access = def.meta?.access;
      if (access?.kind === 'signedIn') {
        const refusable = !access.duringMfaEnrolment || access.recent === true || access.notDuringImpersonation === true;
        if (refusable) expect(statusesOf(def), path).toContain('403');
        else expect(statusesOf(def), path).not.toContain('403');
      }
    }
  });

  it('503 on every operation, always with Retry-After (the database limits answer it)', () => {
    for (const { path, def } of procedures) {
      expect(operationOf(def).responses['503']?.headers?.['Retry-After'], path).toEqual({
        $ref: '#/components/headers/RetryAfter',
      });
    }
  });

  it('429 exactly on rate-limited operations, always with Retry-After', () => {
    for (const { path, def } of procedures) {
      const response = operationOf(def).responses['429'];
      if (path === 'auth.login' || def.meta?.rateLimited) {
        expect(response?.headers?.['Retry-After'], path).toEqual({ $ref: '#/components/headers/RetryAfter' });
      } else {
        expect(response, path).toBeUndefined();
      }
    }
  });

  it('the auth operations list what they can answer and nothing they cannot', () => {
    const byPath = Object.fromEntries(procedures.map(({ path, def }) => [path, def]));
    expect(statusesOf(byPath['auth.register']!)).toEqual(['201', '400', '403', '409', '413', '429', '500', '503']);
    expect(operationOf(byPath['auth.register']!).responses['403']!.description).toContain('REGISTRATION=closed');
    expect(statusesOf(byPath['auth.login']!)).toEqual(['200', '400', '401', '403', '413', '429', '500', '503']);
    expect(operationOf(byPath['auth.login']!).responses['401']!.description).toMatch(/Wrong email or password/);
    expect(operationOf(byPath['auth.login']!).responses['401']!.description).not.toMatch(/access token/);
    expect(statusesOf(byPath['auth.refresh']!)).toEqual(['200', '400', '401', '413', '429', '500', '503']);
    expect(statusesOf(byPath['me.get']!)).toEqual(['200', '401', '403', '500', '503']);
    expect(statusesOf(byPath['users.byId']!)).toEqual(['200', '400', '401', '403', '404', '500', '503']);
    expect(statusesOf(byPath['rbac.roles.delete']!)).toEqual(['204', '400', '401', '403', '404', '409', '413', '500', '503']);
  });
});

describe('the document as a whole', () => {
  it('has one error schema, not named Error, with the codes as an enum; no unused component', () => {
    const names = Object.keys(document.components.schemas);
    expect(names.filter((name) => /error/i.test(name))).toEqual(['ApiError']);
    expect((document.components.schemas.ApiError!.properties as Record<string, Json>).code!.enum).toContain('CONFLICT');
    const text = JSON.stringify(document.paths) + JSON.stringify(document.components);
    for (const name of names) expect(text.includes(`"#/components/schemas/${name}"`), `${name} is used`).toBe(true);
  });

  it('an absolute server URL from PUBLIC_URL, the overview at the top, and tight schemas', () => {
    expect(document.servers).toEqual([{ url: `${PUBLIC_URL}/api/v1` }]);
    for (const topic of ['Authorization: Bearer', '401', '403', 'expectedVersion', '409', 'nextCursor', 'Retry-After']) {
      expect(document.info.description, topic).toContain(topic);
    }
    const text = JSON.stringify(document);
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(text).not.toContain('[2468][048]');
    const schemas = document.components.schemas;
    const property = (schema: string, name: string) => (schemas[schema]!.properties as Record<string, Json>)[name]!;
    expect(schemas.AuthRegisterBody!.additionalProperties).toBe(false);
    expect(property('AuthRegisterBody', 'email').format).toBe('email');
    expect(property('User', 'email').format).toBe('email');
    expect(property('MePreferencesUpdateBody', 'theme').enum).toEqual(['light', 'dark', 'auto']);
    const isActive = document.paths['/users']!.get!.parameters!.find((parameter) => parameter.name === 'isActive') as unknown as {
      schema: Json;
    };
    expect(isActive.schema.type).toBe('boolean');
  });
});

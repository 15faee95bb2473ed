import type { AnyRouter } from '@trpc/server';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { mfaEnrolmentRequired, reauthRequired } from '../modules/mfa/mfa-errors.ts';
import { API_OVERVIEW, API_TAGS } from '../openapi/api-overview.ts';
import {
  ERROR_SCHEMA_NAME,
  errorResponse,
  errorSchema,
  errorStatusesOf,
  RETRY_AFTER_HEADER,
  retryAfterHeader,
} from '../openapi/error-responses.ts';
import { operationDocOf, operationDocs } from '../openapi/operation-docs.ts';
import type { Meta } from '../trpc/meta.ts';

type Json = Record<string, unknown>;
type Parameter = { name: string; in: string; description?: string; schema?: Json; example?: unknown };
type Operation = {
  operationId?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Json; example?: unknown }> };
  responses?: Record<string, Json>;
};
type ZodLike = { _zod?: { def?: { type?: string; catchall?: ZodLike; innerType?: ZodLike } } };
type Procedures = Record<string, { _def: { meta?: Meta; inputs?: ZodLike[] } }>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const pascal = (id: string) =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

/** A zod object that refuses unknown keys (`z.strictObject`), through the wrappers refine and prefault add. */
function isStrictObject(schema: ZodLike | undefined): boolean {
  const def = schema?._zod?.def;
  if (!def) return false;
  if (def.type === 'object') return def.catchall?._zod?.def?.type === 'never';
  return def.innerType ? isStrictObject(def.innerType) : false;
}

const isVoidInput = (schema: ZodLike | undefined) => !schema || ['void', 'undefined'].includes(schema._zod?.def?.type ?? '');

/** JSON Schema noise that zod emits and no client needs: safe-integer bounds, and the long regex beside `format: date-time`. */
function tidySchemas(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) tidySchemas(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  if (schema.format === 'date-time' && typeof schema.pattern === 'string') delete schema.pattern;
  for (const value of Object.values(schema)) tidySchemas(value);
}

/** The machine-readable reasons the services declare, for the error schema's `reason` enum. */
const declaredReasons = () =>
  [
    ...new Set([
      ...Object.values(operationDocs).flatMap((doc) => doc.throws.flatMap(({ spec }) => (spec.reason ? [spec.reason] : []))),
      // Answered by the procedure builders for the session requirements the meta declares (error-responses.ts).
      ...[mfaEnrolmentRequired, reauthRequired].flatMap(({ spec }) => (spec.reason ? [spec.reason] : [])),
    ]),
  ].sort();

/**
 * Completes trpc-to-openapi's document from the procedures' meta and their docs (openapi/operation-docs.ts): each
 * operation's description and examples, `security: []` on public ones, exactly the error statuses it can answer (one
 * error schema), the success status it declares, named request bodies; the overview, tags and an absolute server URL.
 */
export function completeOpenApiDocument(document: OpenAPIObject, router: AnyRouter, serverUrl: string): OpenAPIObject {
  const procedures = router._def.procedures as Procedures;
  // trpc-to-openapi names each operation after its procedure path, dots turned into dashes.
  const pathByOperationId = new Map(Object.keys(procedures).map((path) => [path.replaceAll('.', '-'), path]));
  const reasons = declaredReasons();

  document.info.description = API_OVERVIEW;
  document.servers = [{ url: serverUrl }];
  document.tags = API_TAGS;
  delete document.externalDocs;
  const components = (document.components ?? {}) as Json & { schemas?: Json };
  const schemas = components.schemas ?? {};
  for (const name of Object.keys(schemas)) if (name.startsWith('error.') || name === 'Error') delete schemas[name];
  schemas[ERROR_SCHEMA_NAME] = errorSchema(reasons);
  components.schemas = schemas;
  components.headers = { [RETRY_AFTER_HEADER]: retryAfterHeader };
  document.components = components as OpenAPIObject['components'];

  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      const path = operation?.operationId && pathByOperationId.get(operation.operationId);
      if (!operation || !path) continue;
      const { meta = {}, inputs = [] } = procedures[path]!._def;
      const doc = operationDocOf(path);
      if (doc) operation.description = doc.description;
      operation.security = meta.access?.kind === 'public' ? [] : [{ bearerAuth: [] }];

      const request = (doc?.example.request ?? undefined) as Json | undefined;
      for (const parameter of operation.parameters ?? []) {
        if (request && parameter.name in request) parameter.example = request[parameter.name];
        // zod-openapi leaves a field's description on its schema; readers and generators look for it on the parameter.
        if (!parameter.description && typeof parameter.schema?.description === 'string')
          parameter.description = parameter.schema.description;
      }
      const json = operation.requestBody?.content?.['application/json'];
      if (json?.schema && !('$ref' in json.schema) && operation.operationId) {
        if (json.schema.type === 'object' && json.schema.additionalProperties === undefined && isStrictObject(inputs[0])) {
          json.schema.additionalProperties = false;
        }
        const name = `${pascal(operation.operationId)}Body`;
        schemas[name] = json.schema;
        json.schema = { $ref: `#/components/schemas/${name}` };
      }
      if (json && request) {
        const inPath = new Set((operation.parameters ?? []).map((parameter) => parameter.name));
        json.example = Object.fromEntries(Object.entries(request).filter(([key]) => !inPath.has(key)));
      }

      const responses: Record<string, Json> = {};
      const success = (operation.responses?.['200'] ?? {}) as Json & { content?: Record<string, Json> };
      const successStatus = String(meta.successStatus ?? 200);
      if (successStatus === '204') {
        responses['204'] = { description: 'Done; no content' };
      } else {
        const body = success.content?.['application/json'];
        if (body && doc?.example.response !== undefined) body.example = doc.example.response;
        responses[successStatus] = success;
      }
      const statuses = errorStatusesOf({
        method,
        access: meta.access ?? { kind: 'signedIn' },
        rateLimited: meta.rateLimited === true,
        hasInput: !isVoidInput(inputs[0]),
        throws: doc?.throws ?? [],
      });
      for (const status of [...statuses.keys()].sort()) responses[status] = errorResponse(status, statuses.get(status)!);
      operation.responses = responses;
    }
  }
  tidySchemas(document.components);
  tidySchemas(document.paths);
  return document;
}

/** Procedure path → the statuses its operation lists, to notice an answer the document does not (rest-endpoint.ts). */
export function documentedStatusesByProcedure(document: OpenAPIObject): Map<string, ReadonlySet<number>> {
  const statuses = new Map<string, ReadonlySet<number>>();
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation?.operationId) continue;
      // Procedure paths have no dashes (they are identifiers), so the operation id maps back to one path.
      statuses.set(operation.operationId.replaceAll('-', '.'), new Set(Object.keys(operation.responses ?? {}).map(Number)));
    }
  }
  return statuses;
}

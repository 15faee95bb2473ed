import { appRouter } from '@ums/server';
import type { Access, Meta } from '@ums/server/src/trpc/meta.ts';
import { type ZodType, z } from 'zod';

/** A JSON Schema as z.toJSONSchema() writes it: only the keywords the fuzzer reads. */
export interface JsonSchema {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

export interface RouterProcedure {
  /** Dotted router path, e.g. `me.settings.update`. */
  path: string;
  type: 'query' | 'mutation';
  access: Access;
  rest: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; pathParams: string[] };
  input: ZodType;
  schema: JsonSchema;
  /** The input schema accepts nothing but "no input" (z.void()). */
  takesNoInput: boolean;
}

interface ProcedureDef {
  _def: { type: string; meta?: Meta; inputs: unknown[] };
}

/** Every procedure of the app router, with what the fuzzer needs from its meta and its zod input. */
export function routerProcedures(): RouterProcedure[] {
  // At run time `_def.procedures` is flat, keyed by the dotted path.
  const flat = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(flat)
    .map(([path, procedure]) => {
      const { type, meta, inputs } = procedure._def;
      const openapi = meta?.openapi;
      if (!meta?.access || !openapi) throw new Error(`${path}: no meta.access or meta.openapi`);
      const input = inputs[0] as ZodType | undefined;
      if (!input) throw new Error(`${path}: no input parser`);
      const method = openapi.method.toUpperCase() as RouterProcedure['rest']['method'];
      const pathParams = [...openapi.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
      return {
        path,
        type: type === 'query' ? 'query' : 'mutation',
        access: meta.access,
        rest: { method, path: openapi.path, pathParams },
        input,
        schema: z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
        takesNoInput: input instanceof z.ZodVoid,
      } satisfies RouterProcedure;
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Top-level property names of an input schema (following a root $ref). */
export function topLevelProperties(schema: JsonSchema): string[] {
  const resolved = schema.$ref ? resolveRef(schema, schema.$ref) : schema;
  return Object.keys(resolved.properties ?? {});
}

export function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  const name = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
  const target = name ? root.$defs?.[name] : undefined;
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return target;
}

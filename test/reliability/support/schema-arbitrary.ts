import fc from 'fast-check';
import { type JsonSchema, resolveRef } from './procedures.ts';

/** Whole values worth trying for a property name (ids that exist, catalog keys, role lists…), mixed into its arbitrary. */
export type Hints = Readonly<Record<string, readonly unknown[]>>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** How many $ref hops a recursive schema (JSON values) may take before it bottoms out in scalars. */
const REF_BUDGET = 3;
/** Strings and arrays longer than this are left to the hostile values; the schema's own bounds still apply. */
const SHORT = 40;

interface Walk {
  root: JsonSchema;
  hints: Hints;
  refBudget: number;
  property: string | undefined;
}

/**
 * A fast-check arbitrary of values that fit a JSON Schema made by z.toJSONSchema(): the inputs a well-behaved client
 * sends, so the fuzzer reaches the services behind validation. Zod checks the schema cannot express (refinements,
 * transforms) are left to chance: some values fit them, some are rejected, both are wanted.
 */
export function schemaArbitrary(root: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  return build(root, { root, hints, refBudget: REF_BUDGET, property: undefined });
}

function build(schema: JsonSchema, walk: Walk): fc.Arbitrary<unknown> {
  const own = buildOwn(schema, walk);
  const hinted = walk.property === undefined ? undefined : walk.hints[walk.property];
  return hinted && hinted.length > 0 ? fc.oneof(own, fc.constantFrom(...hinted)) : own;
}

function buildOwn(schema: JsonSchema, walk: Walk): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    if (walk.refBudget <= 0) return fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 8 }));
    return buildOwn(resolveRef(walk.root, schema.$ref), { ...walk, refBudget: walk.refBudget - 1 });
  }
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((variant) => build(variant, walk)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if ('const' in schema) return fc.constant(schema.const);
  switch (schema.type) {
    case 'object':
      return objectArbitrary(schema, walk);
    case 'array': {
      // Hints name whole property values: the items of an array property get none of their own.
      const items = schema.items ? build(schema.items, { ...walk, property: undefined }) : fc.jsonValue({ maxDepth: 1 });
      const minLength = schema.minItems ?? 0;
      return fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 4, 4)) });
    }
    case 'string':
      return stringArbitrary(schema);
    case 'integer': {
      const min = Math.max(schema.minimum ?? INT32_MIN, INT32_MIN);
      const max = Math.min(schema.maximum ?? INT32_MAX, INT32_MAX);
      const edges = [schema.minimum, schema.maximum].filter((edge): edge is number => edge !== undefined);
      return edges.length > 0 ? fc.oneof(fc.integer({ min, max }), fc.constantFrom(...edges)) : fc.integer({ min, max });
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // `{}`: z.void() (no input at all) or an unconstrained value.
      return fc.constant(undefined);
  }
}

function objectArbitrary(schema: JsonSchema, walk: Walk): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const record = fc.record(Object.fromEntries(properties.map(([name, property]) => [name, build(property, { ...walk, property: name })])), {
    requiredKeys: (schema.required ?? []).filter((name) => schema.properties?.[name]),
  });
  const extra = schema.additionalProperties;
  if (typeof extra !== 'object') return record;
  const dictionary = fc.dictionary(fc.string({ maxLength: 10 }), build(extra, { ...walk, property: undefined }), { maxKeys: 3 });
  return fc.tuple(record, dictionary).map(([known, more]) => ({ ...more, ...known }));
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
      .map((date) => date.toISOString());
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? SHORT;
  const fits = (value: string) => value.length >= minLength && value.length <= maxLength;
  const short = Math.max(minLength, Math.min(maxLength, SHORT));
  const free = fc.oneof(
    fc.string({ minLength, maxLength: short }),
    fc.string({ unit: 'binary', minLength, maxLength: short }),
    fc.constant('x'.repeat(maxLength)),
  );
  if (!schema.pattern) return free;
  const matching = fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return fc.oneof({ arbitrary: matching, weight: 3 }, { arbitrary: free, weight: 1 });
}

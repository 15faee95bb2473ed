import fc from 'fast-check';

// Inputs no well-behaved client sends. The service must answer every one with a 4xx (or accept it, where it is
// in fact valid), never with a 5xx, never by hanging, and change nothing when it refuses.

const MB = 1024 * 1024;

/** Nested arrays `depth` deep, built without recursion. */
function nestedArray(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

// Values nested thousands deep overflow the stack of JSON.stringify in this process before they reach the server.
// They travel as markers instead, expanded into JSON text once the rest of the input is serialised.
const MARK = '\u2063';
const MARKERS = new RegExp(`"?${MARK}deep-(array|object):(\\d+)${MARK}"?`, 'g');

/** Stands for an array (or object) nested `depth` deep; see expandDeepMarkers. */
export const deepMarker = (kind: 'array' | 'object', depth: number) => `${MARK}deep-${kind}:${depth}${MARK}`;

/** JSON text with every deep marker (quoted or bare) replaced by the nesting it stands for. */
export function expandDeepMarkers(text: string): string {
  if (!text.includes(MARK)) return text;
  return text.replace(MARKERS, (_marker, kind: string, digits: string) => {
    const depth = Number(digits);
    return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
  });
}

/** An object with an own property of a dangerous name (an object literal would set the prototype instead). */
export function withOwnKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...base };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** A value put in place of one field, or of the whole input. Labels name them in failure messages. */
export const HOSTILE_VALUES: readonly { label: string; value: unknown }[] = [
  { label: 'null', value: null },
  { label: 'true', value: true },
  { label: 'zero', value: 0 },
  { label: 'negative', value: -1 },
  { label: 'fraction', value: 1.5 },
  { label: 'huge number', value: 1e308 },
  { label: 'unsafe integer', value: 2 ** 53 + 2 },
  { label: 'empty string', value: '' },
  { label: 'blank string', value: '   ' },
  { label: 'NUL byte', value: 'a\u0000b' },
  { label: 'lone surrogate', value: 'a\ud800b' },
  { label: 'control characters', value: '\u0007\u001b[31m\r\n' },
  { label: 'bidi and zero-width', value: '\u202eadmin\u200b' },
  { label: 'SQL', value: "' OR 1=1; DROP TABLE users; --" },
  { label: 'LIKE wildcards', value: '%_\\' },
  { label: 'template and HTML', value: `$\{7*7}{{7*7}}<script>alert(1)</script>` },
  { label: 'path traversal', value: '../../../etc/passwd' },
  { label: '200 kB string', value: 'x'.repeat(200_000) },
  { label: '1 MB string', value: 'y'.repeat(MB) },
  { label: 'empty array', value: [] },
  { label: 'array of junk', value: [null, 1, 'a', {}, []] },
  { label: 'empty object', value: {} },
  { label: 'object', value: { a: 1 } },
  { label: 'deep array (64)', value: nestedArray(64) },
  { label: 'deep array (5000)', value: deepMarker('array', 5000) },
  { label: 'deep object (5000)', value: deepMarker('object', 5000) },
  { label: '__proto__ key', value: withOwnKey({}, '__proto__', { polluted: true }) },
  { label: 'constructor.prototype', value: { constructor: { prototype: { polluted: true } } } },
];

/** The hostile values as an arbitrary, plus whatever JSON fast-check comes up with. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_VALUES.map((hostile) => hostile.value)), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 64 }), weight: 1 },
);

/** Keys no input schema declares, some of them dangerous for a naive merge. */
export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'roles', 'passwordHash', 'zzz'] as const;

/** A request body that is not a JSON document of the right shape, or not JSON at all. */
export interface RawBody {
  label: string;
  body: string | Buffer;
  contentType?: string;
}

export const RAW_BODIES: readonly RawBody[] = [
  { label: 'truncated JSON', body: '{"a":' },
  { label: 'lone brace', body: '{' },
  { label: 'trailing comma', body: '{"a":1,}' },
  { label: 'single quotes', body: "{'a':1}" },
  { label: 'NaN', body: 'NaN' },
  { label: 'two documents', body: '{"a":1}{"b":2}' },
  { label: 'byte order mark', body: '\ufeff{}' },
  { label: 'duplicate keys', body: '{"fullName":"a","fullName":"b"}' },
  { label: 'unterminated deep nesting', body: '['.repeat(100_000) },
  { label: 'deep nesting (100000)', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
  { label: '__proto__ key', body: '{"__proto__":{"polluted":true}}' },
  { label: 'constructor.prototype', body: '{"constructor":{"prototype":{"polluted":true}}}' },
  { label: 'escaped NUL', body: '{"a":"\\u0000"}' },
  { label: 'escaped lone surrogate', body: '{"a":"\\udfff"}' },
  { label: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
  { label: 'random bytes', body: Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 151 + 7) % 256)) },
  { label: 'long number literal', body: `{"expectedVersion":${'9'.repeat(400)}}` },
  { label: '1 MB body', body: `{"a":"${'z'.repeat(MB)}"}` },
  { label: 'plain text', body: 'hello', contentType: 'text/plain' },
  { label: 'form encoded', body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { label: 'UTF-16 JSON', body: Buffer.from('{"a":1}', 'utf16le'), contentType: 'application/json; charset=utf-16' },
  { label: 'unknown content type', body: '{}', contentType: 'application/x-evil' },
];

/** Query strings for GET and DELETE routes (REST) and for the tRPC `input` parameter of queries. */
export const RAW_QUERIES: readonly { label: string; query: string }[] = [
  { label: 'invalid UTF-8', query: 'a=%FF%FE%C0%AF' },
  { label: 'NUL', query: 'search=%00&role=%00&action=%00&targetId=%00' },
  { label: 'bad percent escape', query: 'a=%E0%A4%A' },
  { label: 'nested keys', query: '__proto__[polluted]=1&constructor[prototype][polluted]=1' },
  { label: 'repeated key', query: 'limit=1&limit=2&limit=3' },
  { label: 'huge number', query: 'limit=1e400&cursor=-0' },
  { label: 'long value (12 kB)', query: `search=${'s'.repeat(12_000)}` },
  { label: 'tRPC input: truncated JSON', query: `input=${encodeURIComponent('{"a":')}` },
  { label: 'tRPC input: invalid UTF-8', query: 'input=%7B%22a%22%3A%22%FF%22%7D' },
  { label: 'tRPC input: deep nesting', query: `input=${encodeURIComponent(expandDeepMarkers(deepMarker('array', 3000)))}` },
  { label: 'tRPC input: batch shape', query: `batch=1&input=${encodeURIComponent('{"0":{"a":1},"1":null}')}` },
];

import type { TIssue } from '@ums/contract';

/** Deeper than any input of the contract; deeper input is refused before anything recurses through it. */
export const MAX_INPUT_DEPTH = 32;

// A high surrogate not followed by a low one, or a low one not preceded by a high one (matched per code unit).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isWellFormed = (text: string) => !LONE_SURROGATE.test(text);

/**
 * Values no schema field may carry, found in one iterative walk (so hostile nesting cannot overflow the stack):
 * NUL characters and lone UTF-16 surrogates, which PostgreSQL text and jsonb refuse, and nesting deeper than
 * MAX_INPUT_DEPTH. Returns the first problem as a field issue, or null.
 */
export function findUnsafeInput(input: unknown): TIssue | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, message: 'must not contain NUL characters' };
      if (!isWellFormed(value)) return { path, message: 'must be valid Unicode text' };
    } else if (value !== null && typeof value === 'object') {
      if (path.length >= MAX_INPUT_DEPTH) return { path, message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
      const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
      for (const [key, item] of entries) {
        if (typeof key === 'string' && (key.includes('\u0000') || !isWellFormed(key)))
          return { path, message: 'has an invalid field name' };
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return null;
}

import type { AppErrorCode } from '../app-error.ts';
import type { ErrorSpec } from '../define-error.ts';
import { mfaEnrolmentRequired, reauthRequired } from '../modules/mfa/mfa-errors.ts';
import type { Access } from '../trpc/meta.ts';

export const ERROR_SCHEMA_NAME = 'ApiError';
export const RETRY_AFTER_HEADER = 'RetryAfter';

/** Every `code` an error body can carry: the domain codes, and those of errors raised before a procedure runs. */
const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_SUPPORTED',
  'TIMEOUT',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_REQUESTS',
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;

const STATUS_BY_CODE: Record<AppErrorCode, string> = {
  BAD_REQUEST: '400',
  UNAUTHORIZED: '401',
  FORBIDDEN: '403',
  NOT_FOUND: '404',
  CONFLICT: '409',
  TOO_MANY_REQUESTS: '429',
  SERVICE_UNAVAILABLE: '503',
};

export function errorSchema(reasons: readonly string[]) {
  return {
    type: 'object',
    description: 'The one shape of every error answer.',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', enum: [...ERROR_CODES], description: 'What kind of error; the HTTP status says the same.' },
      message: { type: 'string', description: 'For people: what went wrong. Do not parse it.' },
      issues: {
        type: 'array',
        description: 'On 400: one entry per invalid field.',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: {
            path: {
              type: 'array',
              description: 'Where the field is in the input: names and array indexes, e.g. `["settings", 0, "value"]`.',
              items: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
            },
            message: { type: 'string', description: 'What is wrong with it.' },
          },
        },
      },
      reason: { type: 'string', enum: [...reasons], description: 'A machine-readable why, for errors the contract names.' },
      data: {
        type: 'object',
        description: 'Machine-readable facts: `httpStatus`, `path` (the procedure), and e.g. `currentVersion` on a version conflict.',
        additionalProperties: true,
      },
    },
  };
}

export const retryAfterHeader = {
  description: 'Seconds to wait before trying again.',
  schema: { type: 'integer', minimum: 1 },
};

const EXAMPLES: Record<string, { code: string; message: string; issues?: unknown[] }> = {
  '400': {
    code: 'BAD_REQUEST',
    message: 'Input validation failed',
    issues: [{ path: ['email'], message: 'must be a valid email address' }],
  },
  '401': { code: 'UNAUTHORIZED', message: 'Not signed in, or the session has ended' },
  '403': { code: 'FORBIDDEN', message: 'Missing permission users:read' },
  '404': { code: 'NOT_FOUND', message: 'No such user' },
  '409': { code: 'CONFLICT', message: 'The user was changed meanwhile (now at version 4); reload and retry' },
  '413': { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  '429': { code: 'TOO_MANY_REQUESTS', message: 'Too many requests; retry in 42 seconds' },
  '500': { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' },
  '503': { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; try again shortly' },
};

export interface OperationFacts {
  method: string;
  access: Access;
  rateLimited: boolean;
  hasInput: boolean;
  throws: readonly { spec: ErrorSpec }[];
}

/**
 * The error statuses one operation can answer, each with why: from its access rule, its rate limit, whether it
 * takes input or a body, and the errors its service declares it throws. Nothing else is listed.
 */
export function errorStatusesOf(facts: OperationFacts): Map<string, string[]> {
  const statuses = new Map<string, string[]>();
  const add = (status: string, why: string) => statuses.set(status, [...(statuses.get(status) ?? []), why]);
  const hasBody = facts.method !== 'get';
  if (facts.hasInput || hasBody) add('400', 'Invalid input: `issues` names each bad field');
  if (facts.access.kind !== 'public') add('401', 'No valid access token, or its session has ended');
  if (facts.access.kind === 'permission') {
    const self = facts.access.orSelf ? ' (not needed on your own account)' : '';
    const required = [facts.access.permission, ...(facts.access.alsoRequires ?? [])].map((name) => `\`${name}\``).join(' and ');
    add('403', `Signed in without the ${required} permission${self}`);
  }
  // The session requirements the procedure builders check (trpc/procedures.ts), from the same meta.
  if (facts.access.kind !== 'public') {
    if (!facts.access.duringMfaEnrolment) add('403', mfaEnrolmentRequired.spec.description);
    if (facts.access.recent) add('403', reauthRequired.spec.description);
  }
  for (const { spec } of facts.throws) add(STATUS_BY_CODE[spec.code], spec.description);
  if (hasBody) add('413', 'The request body is larger than the server accepts (`BODY_LIMIT`)');
  if (facts.rateLimited) add('429', 'Too many `auth` calls from this client address (`RATE_LIMIT_AUTH` per minute)');
  add('500', 'An unexpected failure; nothing was changed');
  add('503', 'The database is unavailable or did not answer within its limits (`DB_*`); nothing was changed; retry after `Retry-After`');
  return statuses;
}

/** Answers that always carry a `Retry-After` header. */
const RETRY_STATUSES = new Set(['429', '503']);

export function errorResponse(status: string, reasons: readonly string[]) {
  const [general, ...more] = reasons;
  const description = more.length === 0 ? general! : [general, ...more].map((why) => `- ${why}`).join('\n');
  return {
    description,
    ...(RETRY_STATUSES.has(status) ? { headers: { 'Retry-After': { $ref: `#/components/headers/${RETRY_AFTER_HEADER}` } } } : {}),
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` }, example: EXAMPLES[status] } },
  };
}

import type { OpenAPIObject } from 'trpc-to-openapi';

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

type Operation = {
  operationId?: string;
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  responses?: Record<string, unknown>;
};

const errorBodySchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'tRPC error code name, e.g. BAD_REQUEST', example: 'BAD_REQUEST' },
    message: { type: 'string' },
    issues: {
      type: 'array',
      description: 'One entry per invalid field',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } }, message: { type: 'string' } },
      },
    },
  },
} as SchemaObject;

const errorDescriptions: Record<string, string> = {
  '400': 'Invalid input: `issues` names each bad field',
  '401': 'No valid access token, or its session has ended',
  '403': 'Signed in but not permitted',
  '404': 'No such resource',
  '409': 'Conflict: duplicate, stale `expectedVersion`, or a business rule',
  '413': 'Request body too large',
  '429': 'Too many requests: wait for `Retry-After` seconds',
  '500': 'Internal server error',
  '503': 'The database is unavailable',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const pascal = (id: string) =>
  id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

/**
 * Completes trpc-to-openapi's document for REST clients generated from it alone: every request body becomes a
 * named schema, every operation lists the error statuses it can answer with (in the contract's error shape), and
 * procedures answering 201 or 204 say so instead of 200.
 */
export function completeOpenApiDocument(document: OpenAPIObject, successStatusByOperationId: ReadonlyMap<string, number>): OpenAPIObject {
  const components = document.components ?? {};
  const schemas = components.schemas ?? {};
  components.schemas = schemas;
  document.components = components;
  schemas.Error = errorBodySchema;
  const errorResponse = (status: string) => ({
    description: errorDescriptions[status],
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });

  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const json = operation.requestBody?.content?.['application/json'];
      if (json?.schema && !('$ref' in json.schema) && operation.operationId) {
        const name = `${pascal(operation.operationId)}Body`;
        schemas[name] = json.schema;
        json.schema = { $ref: `#/components/schemas/${name}` };
      }
      const statuses = ['400', '404', '503'];
      if (operation.security?.length) statuses.push('401', '403');
      if (method !== 'get') statuses.push('409', '413');
      if (path.startsWith('/auth/')) statuses.push('429', '401');
      const responses = operation.responses ?? {};
      operation.responses = responses;
      const successStatus = operation.operationId ? successStatusByOperationId.get(operation.operationId) : undefined;
      if (successStatus && responses['200']) {
        const { content, ...success } = responses['200'] as { content?: unknown; description?: string };
        responses[String(successStatus)] = successStatus === 204 ? { ...success, description: 'No content' } : { ...success, content };
        delete responses['200'];
      }
      // trpc-to-openapi's own error schemas omit `issues[].path` and forbid other properties: use the contract's.
      for (const status of Object.keys(responses)) if (/^[45]\d\d$/.test(status)) statuses.push(status);
      for (const status of statuses) responses[status] = errorResponse(status);
    }
  }
  return document;
}

import { exampleCursor } from '../../openapi/examples.ts';
import type { OperationDocs, ProcedurePath } from '../../openapi/operation-doc.ts';
import { attemptNotFound, webhookDisabled, webhookNotFound } from './webhook-errors.ts';

const exampleEndpoint = {
  id: '3c2b1a0f-9e8d-4c7b-8a69-5f4e3d2c1b0a',
  url: 'https://crm.example.com/hooks/ums',
  description: 'CRM sync',
  events: ['user.created', 'user.updated', 'user.deactivated'],
  enabled: true,
  createdAt: '2026-02-01T10:00:00.000Z',
  failingSince: null,
};
const exampleSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const exampleEventId = '8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a';
const exampleAttempt = {
  id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  eventId: exampleEventId,
  type: 'user.updated',
  attempt: 1,
  status: 'succeeded' as const,
  responseStatus: 204,
  durationMs: 84,
  responseExcerpt: '',
  error: null,
  at: '2026-02-11T16:02:44.350Z',
};

const SECURITY =
  'Targets must be `https:` and resolve to public addresses only (checked here and again at every delivery; ' +
  '`WEBHOOK_ALLOW_PRIVATE_NETWORKS=true` lifts it for development): a refused target is a 400 naming `url`.';

/** The REST document's words on the `webhooks` procedures (see openapi/operation-doc.ts). */
export const webhooksDocs = {
  'webhooks.list': {
    description: 'Every webhook endpoint, never its secret. `failingSince` is set while its deliveries fail. Needs `webhooks:manage`.',
    throws: [],
    example: { response: { items: [exampleEndpoint] } },
  },
  'webhooks.create': {
    description: `Adds an endpoint for the events named (or \`["*"]\` for all). The answer is the only one that shows its signing secret (\`whsec_…\`, Standard Webhooks). ${SECURITY} Needs \`webhooks:manage\`.`,
    throws: [],
    example: {
      request: {
        url: exampleEndpoint.url,
        description: exampleEndpoint.description,
        events: ['user.created', 'user.updated', 'user.deactivated'],
      },
      response: { ...exampleEndpoint, secret: exampleSecret },
    },
  },
  'webhooks.update': {
    description: `Changes an endpoint's URL, description, events or state; enabling it again clears \`failingSince\`. ${SECURITY} Needs \`webhooks:manage\`.`,
    throws: [webhookNotFound],
    example: { request: { id: exampleEndpoint.id, enabled: false }, response: { ...exampleEndpoint, enabled: false } },
  },
  'webhooks.delete': {
    description: 'Deletes an endpoint, its delivery log and the deliveries still waiting. Needs `webhooks:manage`.',
    throws: [webhookNotFound],
    example: { request: { id: exampleEndpoint.id } },
  },
  'webhooks.rotateSecret': {
    description:
      'A new signing secret, shown in this answer only; the previous one keeps signing beside it (a second signature) for 24 h. Needs `webhooks:manage`.',
    throws: [webhookNotFound],
    example: { request: { id: exampleEndpoint.id }, response: { ...exampleEndpoint, secret: exampleSecret } },
  },
  'webhooks.deliveries': {
    description:
      "An endpoint's delivery attempts, newest first, each with its answer status, duration, the start of the answer and the error; page with `cursor`/`nextCursor`. Needs `webhooks:manage`.",
    throws: [webhookNotFound],
    example: { request: { id: exampleEndpoint.id, limit: 20 }, response: { items: [exampleAttempt], nextCursor: exampleCursor } },
  },
  'webhooks.redeliver': {
    description:
      "Sends an attempt's event again, as a new attempt with the same `webhook-id`, behind the subject's events still waiting. Needs `webhooks:manage`.",
    throws: [attemptNotFound, webhookDisabled],
    example: { request: { attemptId: exampleAttempt.id }, response: { eventId: exampleEventId } },
  },
  'webhooks.test': {
    description: `Sends a \`webhook.test\` event (\`data: { endpointId }\`) to this endpoint only, delivered and logged like any other. Needs \`webhooks:manage\`.`,
    throws: [webhookNotFound, webhookDisabled],
    example: { request: { id: exampleEndpoint.id }, response: { eventId: exampleEventId } },
  },
} satisfies OperationDocs<Extract<ProcedurePath, `webhooks.${string}`>>;

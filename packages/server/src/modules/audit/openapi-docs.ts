import { exampleCursor, exampleOtherUserId, exampleUserId } from '../../openapi/examples.ts';
import type { OperationDocs, ProcedurePath } from '../../openapi/operation-doc.ts';

/** The REST document's words on the `audit` procedures (see openapi/operation-doc.ts). */
export const auditDocs = {
  'audit.list': {
    description:
      'The audit trail, newest first: every state change with who made it, on what, the fields changed (from → to), the ' +
      'client address and the request id; `actor` and `target` name the people involved (name and address; null for the ' +
      'system and non-user targets). Filter by actor, target, action and a time range (`from` inclusive, `to` ' +
      'exclusive); page with `cursor`/`nextCursor`. Events cannot be changed or deleted. Needs `audit:read`.',
    throws: [],
    example: {
      request: { actorId: exampleUserId, action: 'user.updated', from: '2026-02-01T00:00:00Z', limit: 50 },
      response: {
        items: [
          {
            id: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
            at: '2026-02-11T16:02:44.120Z',
            actorId: exampleUserId,
            action: 'user.updated',
            targetType: 'user',
            targetId: exampleOtherUserId,
            changes: { fullName: { from: 'Grace Hopper', to: 'Grace B. Hopper' } },
            ip: '203.0.113.7',
            userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
            requestId: '2f1e0d9c-8b7a-4c5d-9e6f-a1b2c3d4e5f6',
            impersonatorId: null,
            actor: { id: exampleUserId, fullName: 'Ada Lovelace', email: 'ada@example.com' },
            target: { id: exampleOtherUserId, fullName: 'Grace B. Hopper', email: 'grace@example.com' },
          },
        ],
        nextCursor: exampleCursor,
      },
    },
  },
} satisfies OperationDocs<Extract<ProcedurePath, `audit.${string}`>>;

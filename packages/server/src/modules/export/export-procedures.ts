import { ZUserExport, ZUserIdInput } from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { allPermissionsProcedure, permissionProcedure } from '../../trpc/procedures.ts';
import { collectUserExport } from './export-document.ts';
import { startUserExport } from './start-user-export.ts';

// The access rule and input of each export, declared once: the tRPC procedures below and the streamed REST route
// (http/export-route.ts) are built from these same builders, so both transports check exactly the same thing.
const myExportAccess = permissionProcedure('user:read')
  .meta({
    openapi: {
      method: 'GET',
      path: '/users/me/export',
      tags: ['me'],
      summary: 'Download everything the service keeps about you, as one JSON file',
    },
  })
  .input(z.void());
const userExportAccess = allPermissionsProcedure(['users:read', 'audit:read'])
  .meta({
    openapi: {
      method: 'GET',
      path: '/users/{id}/export',
      tags: ['users'],
      summary: 'Download everything the service keeps about a user, as one JSON file',
    },
  })
  .input(ZUserIdInput);

/** me.export over tRPC: one JSON value, so the events are gathered page by page into it, up to a budget (README, "Export"). */
export const myExportProcedure = myExportAccess.output(ZUserExport).query(async ({ ctx }) =>
  collectUserExport(ctx, await startUserExport(ctx, { userId: ctx.auth.userId, currentSessionId: ctx.auth.sessionId }), {
    restPath: '/users/me/export',
  }),
);

/** users.export over tRPC, likewise. */
export const userExportProcedure = userExportAccess.output(ZUserExport).query(async ({ ctx, input }) =>
  collectUserExport(ctx, await startUserExport(ctx, { userId: input.id, currentSessionId: ctx.auth.sessionId }), {
    restPath: `/users/${input.id}/export`,
  }),
);

/**
 * What the streamed REST route runs before it sends a byte: the same guards and input parsing as the procedures,
 * the audit event and the small parts of the export (its head). Not part of the app router: nothing calls these
 * but the REST route, which then writes the events itself.
 */
export const exportStartRouter = router({
  me: myExportAccess.query(({ ctx }) => startUserExport(ctx, { userId: ctx.auth.userId, currentSessionId: ctx.auth.sessionId })),
  user: userExportAccess.query(({ ctx, input }) => startUserExport(ctx, { userId: input.id, currentSessionId: ctx.auth.sessionId })),
});

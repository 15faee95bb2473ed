import { ZAuditList, ZListAuditInput } from '@ums/contract';
import { router } from '../../trpc/init.ts';
import { permissionProcedure } from '../../trpc/procedures.ts';
import { listAuditEvents } from './list-audit-events.ts';

export const auditRouter = router({
  list: permissionProcedure('audit:read')
    .meta({
      openapi: {
        method: 'GET',
        path: '/audit-events',
        tags: ['audit'],
        summary: 'The audit trail, newest first; filter by actor, target, action and time range (from inclusive, to exclusive)',
      },
    })
    // Every filter is optional, so a tRPC caller may send no input at all.
    .input(ZListAuditInput.prefault({}))
    .output(ZAuditList)
    .query(({ ctx, input }) => listAuditEvents(ctx, input)),
});

import { bulkActionPermissions, ZBulkInput, ZBulkResult } from '@ums/contract';
import { permissionPerActionProcedure } from '../../trpc/procedures.ts';
import { bulkUsers } from './bulk-users.ts';

/** `users.bulk`: the permission is the action's (deactivate and revokeSessions users:delete, …), checked before any item runs. */
export const bulkProcedure = permissionPerActionProcedure(bulkActionPermissions)
  .meta({ openapi: { method: 'POST', path: '/users/bulk', tags: ['users'], summary: 'One action on up to 500 users, answered per user' } })
  .input(ZBulkInput)
  .output(ZBulkResult)
  .mutation(({ ctx, input }) => bulkUsers(ctx, { ...input, callerId: ctx.auth.userId, callerPermissions: ctx.auth.permissions }));

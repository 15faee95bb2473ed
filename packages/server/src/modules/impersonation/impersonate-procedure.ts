import { ZImpersonateInput, ZImpersonation } from '@ums/contract';
import { permissionProcedure } from '../../trpc/procedures.ts';
import { impersonateUser } from './impersonate-user.ts';

/** `users.impersonate`: recent, so a stale session steps up first, and an impersonation session cannot start another. */
export const impersonateProcedure = permissionProcedure('users:impersonate', { recent: true })
  .meta({
    openapi: {
      method: 'POST',
      path: '/users/{id}/impersonate',
      tags: ['users'],
      summary: 'Act as a user for up to an hour, with a reason',
    },
  })
  .input(ZImpersonateInput)
  .output(ZImpersonation)
  .mutation(({ ctx, input }) =>
    impersonateUser(ctx, { ...input, impersonatorId: ctx.auth.userId, impersonatorPermissions: ctx.auth.permissions }),
  );

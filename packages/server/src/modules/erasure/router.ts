import { ZAccountDeletion, ZDeleteMeInput, ZErasedUser, ZUserIdInput } from '@ums/contract';
import { permissionProcedure, rateLimitedPermissionProcedure } from '../../trpc/procedures.ts';
import { eraseUser } from './erase-user.ts';
import { requestAccountDeletion } from './request-account-deletion.ts';

/** `users.erase`: mounted in the users router. */
export const eraseUserProcedure = permissionProcedure('users:delete', { recent: true })
  .meta({ openapi: { method: 'POST', path: '/users/{id}/erase', tags: ['users'], summary: "Erase a user's personal data now" } })
  .input(ZUserIdInput)
  .output(ZErasedUser)
  .mutation(({ ctx, input }) => eraseUser(ctx, { id: input.id, callerId: ctx.auth.userId }));

/** `me.delete`: mounted in the me router. It checks a password, so it counts against the auth rate limit. */
export const deleteMeProcedure = rateLimitedPermissionProcedure('user:update', { recent: true })
  .meta({
    openapi: {
      method: 'POST',
      path: '/users/me/delete',
      tags: ['me'],
      summary: 'Delete your account: deactivated now, erased after a grace period',
    },
    successStatus: 202,
  })
  .input(ZDeleteMeInput)
  .output(ZAccountDeletion)
  .mutation(({ ctx, input }) => requestAccountDeletion(ctx, { ...input, userId: ctx.auth.userId }));

import { ZDeactivateUserInput, ZListUsersInput, ZSetUserRolesInput, ZUpdateUserInput, ZUser, ZUserIdInput, ZUserList } from '@ums/contract';
import { router } from '../../trpc/init.ts';
import { permissionOrSelfProcedure, permissionProcedure } from '../../trpc/procedures.ts';
import { userExportProcedure } from '../export/export-procedures.ts';
import { usersMfaRouter } from '../mfa/router.ts';
import { publicProfileProcedure, userSettingsRouter } from '../settings/router.ts';
import { deactivateUser } from './deactivate-user.ts';
import { getUser } from './get-user.ts';
import { listUsers } from './list-users.ts';
import { reactivateUser } from './reactivate-user.ts';
import { setUserRoles } from './set-user-roles.ts';
import { updateUser } from './update-user.ts';

const tags = ['users'];

const usersRolesRouter = router({
  set: permissionProcedure('roles:assign')
    .meta({ openapi: { method: 'PUT', path: '/users/{id}/roles', tags, summary: "Replace a user's roles" } })
    .input(ZSetUserRolesInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => setUserRoles(ctx, { ...input, granterPermissions: ctx.auth.permissions })),
});

export const usersRouter = router({
  list: permissionProcedure('users:read')
    .meta({ openapi: { method: 'GET', path: '/users', tags, summary: 'List users: search, filter, sort, cursor paging' } })
    .input(ZListUsersInput)
    .output(ZUserList)
    .query(({ ctx, input }) => listUsers(ctx, input)),
  byId: permissionOrSelfProcedure('users:read')
    .meta({ openapi: { method: 'GET', path: '/users/{id}', tags, summary: "A user's full profile (yourself, or with users:read)" } })
    .input(ZUserIdInput)
    .output(ZUser)
    .query(({ ctx, input }) => getUser(ctx, input)),
  update: permissionProcedure('users:update')
    .meta({ openapi: { method: 'PUT', path: '/users/{id}', tags, summary: "Change a user's profile fields or email" } })
    .input(ZUpdateUserInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => updateUser(ctx, input)),
  deactivate: permissionProcedure('users:delete')
    .meta({ openapi: { method: 'DELETE', path: '/users/{id}', tags, summary: 'Deactivate a user and end their sessions' } })
    .input(ZDeactivateUserInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => deactivateUser(ctx, { ...input, callerId: ctx.auth.userId })),
  reactivate: permissionProcedure('users:update')
    .meta({ openapi: { method: 'POST', path: '/users/{id}/reactivate', tags, summary: 'Let a deactivated user sign in again' } })
    .input(ZUserIdInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => reactivateUser(ctx, input)),
  publicProfile: publicProfileProcedure,
  export: userExportProcedure,
  roles: usersRolesRouter,
  mfa: usersMfaRouter,
  settings: userSettingsRouter,
});

import { ZCreateRoleInput, ZPermissionList, ZRole, ZRoleList, ZRoleNameInput, ZUpdateRoleInput } from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { permissionProcedure } from '../../trpc/procedures.ts';
import { createRole } from './create-role.ts';
import { deleteRole } from './delete-role.ts';
import { listPermissions } from './list-permissions.ts';
import { listRoles } from './list-roles.ts';
import { updateRole } from './update-role.ts';

const tags = ['rbac'];

const permissionsRouter = router({
  list: permissionProcedure('roles:read')
    .meta({ openapi: { method: 'GET', path: '/rbac/permissions', tags, summary: 'Every permission the service knows' } })
    .input(z.void())
    .output(ZPermissionList)
    .query(({ ctx }) => listPermissions(ctx)),
});

const rolesRouter = router({
  list: permissionProcedure('roles:read')
    .meta({ openapi: { method: 'GET', path: '/rbac/roles', tags, summary: 'Every role with its permissions' } })
    .input(z.void())
    .output(ZRoleList)
    .query(({ ctx }) => listRoles(ctx)),
  create: permissionProcedure('roles:manage')
    .meta({ openapi: { method: 'POST', path: '/rbac/roles', tags, summary: 'Create a custom role' }, successStatus: 201 })
    .input(ZCreateRoleInput)
    .output(ZRole)
    .mutation(({ ctx, input }) => createRole(ctx, { callerPermissions: ctx.auth.permissions, ...input })),
  update: permissionProcedure('roles:manage')
    .meta({ openapi: { method: 'PUT', path: '/rbac/roles/{name}', tags, summary: "Change a role's description or permissions" } })
    .input(ZUpdateRoleInput)
    .output(ZRole)
    .mutation(({ ctx, input }) => updateRole(ctx, { callerPermissions: ctx.auth.permissions, ...input })),
  delete: permissionProcedure('roles:manage')
    .meta({ openapi: { method: 'DELETE', path: '/rbac/roles/{name}', tags, summary: 'Delete a custom role' }, successStatus: 204 })
    .input(ZRoleNameInput)
    .output(z.void())
    .mutation(({ ctx, input }) => deleteRole(ctx, input)),
});

export const rbacRouter = router({
  permissions: permissionsRouter,
  roles: rolesRouter,
});

import { ZCreateRoleInput, ZPermissionList, ZRole, ZRoleList, ZRoleNameInput, ZUpdateRoleInput } from '@ums/contract';
import { z } from 'zod';
import { createRole } from '../services/roles/create-role.ts';
import { deleteRole } from '../services/roles/delete-role.ts';
import { listPermissions } from '../services/roles/list-permissions.ts';
import { listRoles } from '../services/roles/list-roles.ts';
import { updateRole } from '../services/roles/update-role.ts';
import { router } from '../trpc/init.ts';
import { permissionProcedure } from '../trpc/procedures.ts';

const tags = ['rbac'];

const permissionsRouter = router({
  list: permissionProcedure('roles:read')
    .meta({ openapi: { method: 'GET', path: '/rbac/permissions', tags, summary: 'Every permission the service knows' } })
    .input(z.void())
    .output(ZPermissionList)
    .query(({ ctx }) => listPermissions(ctx.db)),
});

const rolesRouter = router({
  list: permissionProcedure('roles:read')
    .meta({ openapi: { method: 'GET', path: '/rbac/roles', tags, summary: 'Every role with its permissions' } })
    .input(z.void())
    .output(ZRoleList)
    .query(({ ctx }) => listRoles(ctx.db)),
  create: permissionProcedure('roles:manage')
    .meta({ openapi: { method: 'POST', path: '/rbac/roles', tags, summary: 'Create a custom role' }, successStatus: 201 })
    .input(ZCreateRoleInput)
    .output(ZRole)
    .mutation(({ ctx, input }) => createRole(ctx.db, { actor: ctx.actor, callerPermissions: ctx.auth.permissions, ...input })),
  update: permissionProcedure('roles:manage')
    .meta({ openapi: { method: 'PUT', path: '/rbac/roles/{name}', tags, summary: "Change a role's description or permissions" } })
    .input(ZUpdateRoleInput)
    .output(ZRole)
    .mutation(({ ctx, input }) => updateRole(ctx.db, { actor: ctx.actor, callerPermissions: ctx.auth.permissions, ...input })),
  delete: permissionProcedure('roles:manage')
    .meta({ openapi: { method: 'DELETE', path: '/rbac/roles/{name}', tags, summary: 'Delete a custom role' }, successStatus: 204 })
    .input(ZRoleNameInput)
    .output(z.void())
    .mutation(({ ctx, input }) => deleteRole(ctx.db, { actor: ctx.actor, name: input.name })),
});

export const rbacRouter = router({
  permissions: permissionsRouter,
  roles: rolesRouter,
});

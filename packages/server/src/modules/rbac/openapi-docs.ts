import { permissionCatalog, permissionNames } from '@ums/contract';
import { exampleRole } from '../../openapi/examples.ts';
import type { OperationDocs, ProcedurePath } from '../../openapi/operation-doc.ts';
import { adminRolePermissionsFixed, builtInRoleUndeletable, permissionsNotHeld, roleNameTaken, roleNotFound } from './role-errors.ts';

/** The REST document's words on the `rbac` procedures (see openapi/operation-doc.ts). */
export const rbacDocs = {
  'rbac.permissions.list': {
    description:
      "Every permission the service knows (`resource:action`) with what it allows. `user:*` is one's own data, `users:*` other users'. Needs `roles:read`.",
    throws: [],
    example: { response: { items: permissionNames.slice(0, 3).map((name) => ({ name, description: permissionCatalog[name] })) } },
  },
  'rbac.roles.list': {
    description: 'Every role with its permissions, the built-in `user` and `admin` roles included. Needs `roles:read`.',
    throws: [],
    example: {
      response: {
        items: [
          {
            name: 'user',
            description: 'Every account: its own data',
            permissions: ['user:read', 'user:update'],
            builtIn: true,
            requireMfa: false,
          },
          exampleRole,
        ],
      },
    },
  },
  'rbac.roles.create': {
    description: 'Creates a custom role. Callers may only grant permissions they hold themselves. Needs `roles:manage`.',
    throws: [roleNameTaken, permissionsNotHeld],
    example: {
      request: { name: exampleRole.name, description: exampleRole.description, permissions: [...exampleRole.permissions] },
      response: exampleRole,
    },
  },
  'rbac.roles.update': {
    description:
      "Changes a role's description or its whole permission list; holders get the new permissions on their next request. " +
      'Callers may only grant permissions they hold; the built-in `admin` role always holds every permission. Needs `roles:manage`.',
    throws: [roleNotFound, permissionsNotHeld, adminRolePermissionsFixed],
    example: {
      request: { name: exampleRole.name, permissions: ['user:read', 'user:update', 'users:read', 'audit:read'] },
      response: { ...exampleRole, permissions: ['audit:read', 'user:read', 'user:update', 'users:read'] },
    },
  },
  'rbac.roles.delete': {
    description: 'Deletes a custom role; its holders lose it at once. Built-in roles cannot be deleted. Needs `roles:manage`.',
    throws: [roleNotFound, builtInRoleUndeletable],
    example: { request: { name: exampleRole.name } },
  },
} satisfies OperationDocs<Extract<ProcedurePath, `rbac.${string}`>>;

import { z } from 'zod';

/** Every permission the service knows, `resource:action`. `user:*` is the caller's own data, `users:*` other users'. */
export const permissionCatalog = {
  'user:read': 'Read your own profile, preferences, settings and sessions',
  'user:update': 'Change your own profile, preferences and settings; end your own sessions',
  'users:read': "Read other users' profiles and settings",
  'users:update': "Change other users' profiles and settings; reactivate users",
  'users:delete': 'Deactivate users',
  'roles:read': 'Read roles and permissions',
  'roles:manage': 'Create, edit and delete roles',
  'roles:assign': "Set users' roles",
  'audit:read': 'Read the audit trail',
  'webhooks:manage': 'Create, change and delete webhook endpoints; see and redeliver their deliveries',
  'users:impersonate': 'Act as another user (holding no permission you lack) for up to an hour, with a reason',
} as const;

export type Permission = keyof typeof permissionCatalog;
export const permissionNames = Object.keys(permissionCatalog) as [Permission, ...Permission[]];
export const ZPermissionName = z.enum(permissionNames);

export interface BuiltInRole {
  name: string;
  description: string;
  permissions: readonly Permission[];
}

export const builtInRoles = [
  { name: 'user', description: 'Every account: its own data', permissions: ['user:read', 'user:update'] },
  { name: 'admin', description: 'Everything', permissions: permissionNames },
] as const satisfies readonly BuiltInRole[];

export const DEFAULT_ROLE = 'user';
export const ADMIN_ROLE = 'admin';

import { z } from 'zod';
import { ZPermissionName } from './permissions.ts';

export const ZRoleName = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z][a-z0-9_-]*$/, { message: 'must be lower-case letters, digits, - or _, starting with a letter' });

export const ZRole = z
  .object({
    name: z.string(),
    description: z.string(),
    permissions: z.array(ZPermissionName),
    builtIn: z.boolean(),
    /** Holders must have a second factor; without one they may only enrol. */
    requireMfa: z.boolean(),
  })
  .meta({ id: 'Role' });
export type TRole = z.infer<typeof ZRole>;

export const ZPermissionInfo = z.object({ name: ZPermissionName, description: z.string() }).meta({ id: 'Permission' });

export const ZRoleList = z.object({ items: z.array(ZRole) }).meta({ id: 'RoleList' });
export const ZPermissionList = z.object({ items: z.array(ZPermissionInfo) }).meta({ id: 'PermissionList' });

export const ZCreateRoleInput = z
  .strictObject({
    name: ZRoleName,
    description: z.string().trim().max(500).optional(),
    permissions: z.array(ZPermissionName).max(100),
    requireMfa: z.boolean().optional(),
  })
  .meta({ id: 'CreateRoleInput' });

export const ZUpdateRoleInput = z
  .strictObject({
    name: z.string().trim().min(1).max(64),
    description: z.string().trim().max(500).optional(),
    permissions: z.array(ZPermissionName).max(100).optional(),
    requireMfa: z.boolean().optional(),
  })
  .meta({ id: 'UpdateRoleInput' });

export const ZRoleNameInput = z.strictObject({ name: z.string().trim().min(1).max(64) });

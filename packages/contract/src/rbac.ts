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
    name: z.string().describe('Unique name, lower-case'),
    description: z.string().describe('What the role is for'),
    permissions: z.array(ZPermissionName).describe('The permissions it grants'),
    builtIn: z.boolean().describe('True for `user` and `admin`, which cannot be deleted'),
    requireMfa: z.boolean().describe('Holders must have a second factor; without one they may only set one up'),
  })
  .meta({ id: 'Role' });
export type TRole = z.infer<typeof ZRole>;

export const ZPermissionInfo = z
  .object({ name: ZPermissionName.describe('`resource:action`'), description: z.string().describe('What it allows') })
  .meta({ id: 'Permission' });

export const ZRoleList = z.object({ items: z.array(ZRole).describe('Every role') }).meta({ id: 'RoleList' });
export const ZPermissionList = z.object({ items: z.array(ZPermissionInfo).describe('Every permission') }).meta({ id: 'PermissionList' });

export const ZCreateRoleInput = z
  .strictObject({
    name: ZRoleName.describe('2–64 characters: lower-case letters, digits, - or _, starting with a letter'),
    description: z.string().trim().max(500).describe('What the role is for').optional(),
    permissions: z.array(ZPermissionName).max(100).describe('The permissions it grants (you must hold each)'),
    requireMfa: z.boolean().describe('Holders must have a second factor (default false)').optional(),
  })
  .meta({ id: 'CreateRoleInput' });

export const ZUpdateRoleInput = z
  .strictObject({
    name: z.string().trim().min(1).max(64).describe('The role to change'),
    description: z.string().trim().max(500).describe('New description; omitted = unchanged').optional(),
    permissions: z.array(ZPermissionName).max(100).describe('The whole new list; omitted = unchanged').optional(),
    requireMfa: z.boolean().describe('Whether holders must have a second factor; omitted = unchanged').optional(),
  })
  .meta({ id: 'UpdateRoleInput' });

export const ZRoleNameInput = z.strictObject({ name: z.string().trim().min(1).max(64).describe('The role') });

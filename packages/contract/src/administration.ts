import { z } from 'zod';
import { ZUuid } from './fields.ts';
import type { Permission } from './permissions.ts';
import { ZUser } from './users.ts';

/** What `users.bulk` can do to many users at once; each is the single-user operation of the same name. */
export const bulkActions = ['deactivate', 'reactivate', 'revokeSessions', 'assignRole', 'removeRole'] as const;
export type TBulkAction = (typeof bulkActions)[number];

/** The permission each bulk action needs: the one its single-user operation needs (API.md, Administration). */
export const bulkActionPermissions = {
  deactivate: 'users:delete',
  revokeSessions: 'users:delete',
  reactivate: 'users:update',
  assignRole: 'roles:assign',
  removeRole: 'roles:assign',
} as const satisfies Record<TBulkAction, Permission>;

/** The actions that name a role. */
export const roleBulkActions: readonly TBulkAction[] = ['assignRole', 'removeRole'];

export const BULK_MAX_IDS = 500;

export const ZBulkInput = z
  .strictObject({
    action: z.enum(bulkActions).describe('What to do to each user'),
    ids: z
      .array(ZUuid)
      .min(1, { message: 'must name at least one user' })
      .max(BULK_MAX_IDS, { message: `at most ${BULK_MAX_IDS} users per call` })
      .describe(`The users, 1–${BULK_MAX_IDS}; answered in this order`),
    role: z.string().trim().min(1).max(64).describe('The role to assign or remove (assignRole, removeRole only)').optional(),
    reason: z.string().trim().max(500).describe('Why, kept in each audit event (deactivate only)').optional(),
  })
  .superRefine((input, context) => {
    const needsRole = roleBulkActions.includes(input.action);
    if (needsRole && input.role === undefined)
      context.addIssue({ code: 'custom', path: ['role'], message: `is required for ${input.action}` });
    if (!needsRole && input.role !== undefined)
      context.addIssue({ code: 'custom', path: ['role'], message: `is not used by ${input.action}` });
    if (input.action !== 'deactivate' && input.reason !== undefined) {
      context.addIssue({ code: 'custom', path: ['reason'], message: `is not used by ${input.action}` });
    }
  })
  .meta({ id: 'BulkInput' });
export type TBulkInput = z.infer<typeof ZBulkInput>;

export const ZBulkItemResult = z
  .object({
    id: z.uuid().describe('The user, as given'),
    ok: z.boolean().describe('True when the action was done (or there was nothing to do)'),
    code: z.string().describe('Why not, as a tRPC code such as `NOT_FOUND` or `CONFLICT`').optional(),
    message: z.string().describe('Why not, for people').optional(),
    duplicateOf: z
      .number()
      .int()
      .describe('Set on a repeated id: the index in `ids` of its first occurrence, whose result this repeats (it is not run twice)')
      .optional(),
  })
  .meta({ id: 'BulkItemResult' });
export type TBulkItemResult = z.infer<typeof ZBulkItemResult>;

export const ZBulkResult = z
  .object({ results: z.array(ZBulkItemResult).describe('One per entry of `ids`, in the same order') })
  .meta({ id: 'BulkResult' });
export type TBulkResult = z.infer<typeof ZBulkResult>;

export const ZImpersonateInput = z
  .strictObject({
    id: ZUuid.describe('The user to act as'),
    reason: z.string().trim().min(1, { message: 'is required' }).max(500).describe('Why, 1–500 characters, kept in the audit trail'),
  })
  .meta({ id: 'ImpersonateInput' });
export type TImpersonateInput = z.infer<typeof ZImpersonateInput>;

export const ZImpersonation = z
  .object({
    accessToken: z.string().describe("The target's session: send as `Authorization: Bearer …`. There is no refresh token"),
    expiresIn: z.number().int().describe('Seconds the session lives, at most 3600'),
    user: ZUser.describe('The user being impersonated'),
  })
  .meta({ id: 'Impersonation' });
export type TImpersonation = z.infer<typeof ZImpersonation>;

/** Machine-readable reasons of the impersonation errors. */
export const IMPERSONATION_REASONS = {
  /** A credential or identity change (step-up, password, MFA, passkeys, email, impersonating further) from an impersonation session. */
  notAllowed: 'IMPERSONATION_NOT_ALLOWED',
} as const;

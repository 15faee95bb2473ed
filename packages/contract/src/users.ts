import { z } from 'zod';
import {
  ZAvatarUrl,
  ZBio,
  ZBooleanParam,
  ZCursor,
  ZEmail,
  ZExpectedVersion,
  ZFullName,
  ZLocale,
  ZPageLimit,
  ZPhoneNumber,
  ZTimestamp,
  ZTimezone,
  ZUuid,
} from './fields.ts';
import { ZAuthMethod } from './mfa.ts';
import { ZPermissionName } from './permissions.ts';

export const ZUser = z
  .object({
    id: z.uuid(),
    email: z.string(),
    fullName: z.string().nullable(),
    phoneNumber: z.string().nullable(),
    timezone: z.string().nullable(),
    locale: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    bio: z.string().nullable(),
    isActive: z.boolean(),
    roles: z.array(z.string()),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
    lastLoginAt: ZTimestamp.nullable(),
    deactivatedAt: ZTimestamp.nullable(),
    /** When the current address was proven by a mailed link; null = not yet. */
    emailVerifiedAt: ZTimestamp.nullable(),
    /** A confirmed second factor (a TOTP factor, or a passkey). */
    mfaEnabled: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'User' });
export type TUser = z.infer<typeof ZUser>;

export const ZMe = ZUser.extend({ permissions: z.array(ZPermissionName) }).meta({ id: 'Me' });
export type TMe = z.infer<typeof ZMe>;

/** Profile fields a user may change on themselves: omitted = unchanged, null = cleared (fullName included). */
export const profileFields = {
  fullName: ZFullName.nullable().optional(),
  phoneNumber: ZPhoneNumber.nullable().optional(),
  timezone: ZTimezone.nullable().optional(),
  locale: ZLocale.nullable().optional(),
  avatarUrl: ZAvatarUrl.nullable().optional(),
  bio: ZBio.nullable().optional(),
};

/** Strict: any other field (email, roles, isActive, id, password…) is a 400, so nothing can be mass-assigned. */
export const ZUpdateMeInput = z
  .strictObject({ ...profileFields, expectedVersion: ZExpectedVersion.optional() })
  .meta({ id: 'UpdateMeInput' });
export type TUpdateMeInput = z.infer<typeof ZUpdateMeInput>;

export const ZUpdateUserInput = z
  .strictObject({ id: ZUuid, ...profileFields, email: ZEmail.optional(), expectedVersion: ZExpectedVersion.optional() })
  .meta({ id: 'UpdateUserInput' });
export type TUpdateUserInput = z.infer<typeof ZUpdateUserInput>;

export const userSortFields = ['createdAt', 'email', 'fullName', 'lastLoginAt'] as const;

export const ZListUsersInput = z
  .strictObject({
    limit: ZPageLimit(20),
    cursor: ZCursor.optional(),
    search: z.string().trim().max(254).optional(),
    role: z.string().trim().max(64).optional(),
    isActive: ZBooleanParam.optional(),
    sort: z.enum(userSortFields).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    includeTotal: ZBooleanParam.optional(),
  })
  .meta({ id: 'ListUsersInput' });
export type TListUsersInput = z.infer<typeof ZListUsersInput>;

export const ZUserList = z
  .object({ items: z.array(ZUser), nextCursor: z.string().nullable(), total: z.number().int().optional() })
  .meta({ id: 'UserList' });
export type TUserList = z.infer<typeof ZUserList>;

export const ZUserIdInput = z.strictObject({ id: ZUuid });

export const ZDeactivateUserInput = z
  .strictObject({ id: ZUuid, reason: z.string().trim().max(500).optional() })
  .meta({ id: 'DeactivateUserInput' });

export const ZSetUserRolesInput = z
  .strictObject({ id: ZUuid, roles: z.array(z.string().trim().min(1).max(64)).max(50) })
  .meta({ id: 'SetUserRolesInput' });

export const ZPublicProfile = z
  .object({
    id: z.uuid(),
    fullName: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    bio: z.string().nullable(),
    publicSettings: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'PublicProfile' });
export type TPublicProfile = z.infer<typeof ZPublicProfile>;

export const ZSession = z
  .object({
    id: z.uuid(),
    createdAt: ZTimestamp,
    lastUsedAt: ZTimestamp,
    /** The last time this session proved a factor (sign-in or auth.reauthenticate). */
    authenticatedAt: ZTimestamp,
    /** How it was proven; a refresh keeps them. */
    methods: z.array(ZAuthMethod),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'Session' });
export const ZSessionList = z.object({ items: z.array(ZSession) }).meta({ id: 'SessionList' });
export type TSessionList = z.infer<typeof ZSessionList>;
export const ZRevokeSessionInput = z.strictObject({ sessionId: ZUuid });

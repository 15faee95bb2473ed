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

const EXPECTED_VERSION = 'The `version` you read: the change is refused (409) if it is no longer current';

export const ZUser = z
  .object({
    id: z.uuid().describe("The user's id"),
    email: z.string().meta({ format: 'email', description: 'Sign-in address, lower-case' }),
    fullName: z.string().nullable().describe('Name shown to others; null when not given'),
    phoneNumber: z.string().nullable().describe('E.164 phone number such as +14155550123'),
    timezone: z.string().nullable().describe('IANA time zone such as Europe/Paris'),
    locale: z.string().nullable().describe('BCP 47 language tag such as en-GB'),
    avatarUrl: z.string().nullable().meta({ format: 'uri', description: 'https URL of the picture' }),
    bio: z.string().nullable().describe('A few words about the user, at most 500 characters'),
    isActive: z.boolean().describe('False once deactivated: the account cannot sign in'),
    roles: z.array(z.string()).describe('Names of the roles held, sorted'),
    createdAt: ZTimestamp.describe('When the account was created'),
    updatedAt: ZTimestamp.describe('When the account last changed'),
    lastLoginAt: ZTimestamp.nullable().describe('Last successful sign-in; null = never'),
    deactivatedAt: ZTimestamp.nullable().describe('When it was deactivated; null while active'),
    /** When the current address was proven by a mailed link; null = not yet. */
    emailVerifiedAt: ZTimestamp.nullable().describe('When the current address was proven by a mailed link; null = not yet'),
    mfaEnabled: z.boolean().describe('A confirmed second factor: a TOTP app (or a passkey)'),
    version: z.number().int().describe('Increases on every change; send it back as `expectedVersion`'),
  })
  .meta({ id: 'User' });
export type TUser = z.infer<typeof ZUser>;

export const ZMe = ZUser.extend({ permissions: z.array(ZPermissionName).describe('Every permission the roles grant') }).meta({ id: 'Me' });
export type TMe = z.infer<typeof ZMe>;

/** Profile fields a user may change on themselves: omitted = unchanged, null = cleared (fullName included). */
export const profileFields = {
  fullName: ZFullName.nullable().describe('1–100 characters; null clears it').optional(),
  phoneNumber: ZPhoneNumber.nullable().describe('E.164, such as +14155550123; null clears it').optional(),
  timezone: ZTimezone.nullable().describe('IANA time zone such as Europe/Paris; null clears it').optional(),
  locale: ZLocale.nullable().describe('BCP 47 tag such as en-GB; null clears it').optional(),
  avatarUrl: ZAvatarUrl.nullable().optional().meta({ format: 'uri', description: 'An https URL, at most 2048 characters; null clears it' }),
  bio: ZBio.nullable().describe('At most 500 characters, newlines allowed; null clears it').optional(),
};

/** Strict: any other field (email, roles, isActive, id, password…) is a 400, so nothing can be mass-assigned. */
export const ZUpdateMeInput = z
  .strictObject({ ...profileFields, expectedVersion: ZExpectedVersion.optional().describe(EXPECTED_VERSION) })
  .meta({ id: 'UpdateMeInput' });
export type TUpdateMeInput = z.infer<typeof ZUpdateMeInput>;

export const ZUpdateUserInput = z
  .strictObject({
    id: ZUuid.describe('The user to change'),
    ...profileFields,
    email: ZEmail.describe('A new sign-in address: unproven until its mailed link is followed').optional(),
    expectedVersion: ZExpectedVersion.optional().describe(EXPECTED_VERSION),
  })
  .meta({ id: 'UpdateUserInput' });
export type TUpdateUserInput = z.infer<typeof ZUpdateUserInput>;

export const userSortFields = ['createdAt', 'email', 'fullName', 'lastLoginAt'] as const;

export const ZListUsersInput = z
  .strictObject({
    limit: ZPageLimit(20).describe('Users per page, 1–100'),
    cursor: ZCursor.describe('`nextCursor` of the previous page, with the same sort and order').optional(),
    search: z.string().trim().max(254).describe('Part of the email or full name, case-insensitive').optional(),
    role: z.string().trim().max(64).describe('Only users holding this role').optional(),
    isActive: ZBooleanParam.describe('true: only active users; false: only deactivated ones').optional(),
    sort: z.enum(userSortFields).default('createdAt').describe('The field to order by; users without it come last'),
    order: z.enum(['asc', 'desc']).default('desc').describe('Ascending or descending'),
    includeTotal: ZBooleanParam.describe('true adds `total`, the exact number of matches').optional(),
  })
  .meta({ id: 'ListUsersInput' });
export type TListUsersInput = z.infer<typeof ZListUsersInput>;

export const ZUserList = z
  .object({
    items: z.array(ZUser).describe('This page of users'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last one'),
    total: z.number().int().describe('Every match, with `includeTotal=true`').optional(),
  })
  .meta({ id: 'UserList' });
export type TUserList = z.infer<typeof ZUserList>;

export const ZUserIdInput = z.strictObject({ id: ZUuid.describe('The user') });

export const ZDeactivateUserInput = z
  .strictObject({ id: ZUuid.describe('The user'), reason: z.string().trim().max(500).describe('Why, kept in the audit trail').optional() })
  .meta({ id: 'DeactivateUserInput' });

export const ZSetUserRolesInput = z
  .strictObject({
    id: ZUuid.describe('The user'),
    roles: z.array(z.string().trim().min(1).max(64)).max(50).describe('Every role the user will hold, by name'),
  })
  .meta({ id: 'SetUserRolesInput' });

export const ZPublicProfile = z
  .object({
    id: z.uuid().describe("The user's id"),
    fullName: z.string().nullable().describe('Name shown to others'),
    avatarUrl: z.string().nullable().meta({ format: 'uri', description: 'https URL of the picture' }),
    bio: z.string().nullable().describe('A few words about the user'),
    publicSettings: z.record(z.string(), z.unknown()).describe('Setting key → value, for the settings the user made public'),
  })
  .meta({ id: 'PublicProfile' });
export type TPublicProfile = z.infer<typeof ZPublicProfile>;

export const ZSession = z
  .object({
    id: z.uuid().describe('The session'),
    createdAt: ZTimestamp.describe('When it signed in'),
    lastUsedAt: ZTimestamp.describe('Its last token refresh or sign-in'),
    authenticatedAt: ZTimestamp.describe('The last time this session proved a factor (sign-in or auth.reauthenticate)'),
    methods: z.array(ZAuthMethod).describe('How it was proven; a refresh keeps them'),
    ip: z.string().nullable().describe('Client address it signed in from'),
    userAgent: z.string().nullable().describe('User-Agent it signed in with'),
    current: z.boolean().describe('True for the session making this call'),
    impersonatorId: z.uuid().nullable().describe('The administrator acting as you in this session (users.impersonate); null otherwise'),
  })
  .meta({ id: 'Session' });
export const ZSessionList = z.object({ items: z.array(ZSession).describe('Live sessions, newest first') }).meta({ id: 'SessionList' });
export type TSessionList = z.infer<typeof ZSessionList>;
export const ZRevokeSessionInput = z.strictObject({ sessionId: ZUuid.describe('The session to end') });

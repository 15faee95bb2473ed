// Type-level tests, checked by `pnpm typecheck` (tsc over this package): if a procedure's input or output type
// changes in the server, these lines stop compiling, and so does CI, before the console breaks at run time.
import type { Permission, RouterInputs, RouterOutputs } from '@ums/shared';
import { expectTypeOf } from 'expect-type';
import type { AuditEvent, Preferences, Role, Setting, User } from './trpc.ts';

// The user the console shows.
expectTypeOf<RouterOutputs['me']['get']['email']>().toEqualTypeOf<string>();
expectTypeOf<RouterOutputs['me']['get']['permissions']>().toEqualTypeOf<Permission[]>();
expectTypeOf<User['id']>().toEqualTypeOf<string>();
expectTypeOf<User['fullName']>().toEqualTypeOf<string | null>();
expectTypeOf<User['isActive']>().toEqualTypeOf<boolean>();
expectTypeOf<User['roles']>().toEqualTypeOf<string[]>();
expectTypeOf<User['version']>().toEqualTypeOf<number>();
expectTypeOf<User['lastLoginAt']>().toEqualTypeOf<string | null>();
expectTypeOf<User>().toHaveProperty('deactivatedAt');
expectTypeOf<User>().not.toHaveProperty('passwordHash');
expectTypeOf<User['emailVerifiedAt']>().toEqualTypeOf<string | null>();
expectTypeOf<RouterOutputs['me']['get']['emailVerifiedAt']>().toEqualTypeOf<string | null>();

// Lists and paging.
expectTypeOf<RouterOutputs['users']['list']['items']>().toEqualTypeOf<User[]>();
expectTypeOf<RouterOutputs['users']['list']['nextCursor']>().toEqualTypeOf<string | null>();
expectTypeOf<RouterOutputs['audit']['list']['nextCursor']>().toEqualTypeOf<string | null>();
expectTypeOf<AuditEvent['action']>().toEqualTypeOf<string>();
expectTypeOf<Role['permissions']>().toEqualTypeOf<Permission[]>();
expectTypeOf<Role['builtIn']>().toEqualTypeOf<boolean>();

// Preferences and settings.
expectTypeOf<Preferences['theme']>().toEqualTypeOf<'light' | 'dark' | 'auto'>();
expectTypeOf<Preferences['notifications']>().toEqualTypeOf<{ email: boolean; sms: boolean; push: boolean }>();
expectTypeOf<Setting['isDefault']>().toEqualTypeOf<boolean>();
expectTypeOf<RouterOutputs['me']['settings']['get']['version']>().toEqualTypeOf<number>();

// Inputs: what the console sends.
expectTypeOf<RouterInputs['users']['update']>().toHaveProperty('expectedVersion');
expectTypeOf<RouterInputs['users']['deactivate']['reason']>().toEqualTypeOf<string | undefined>();
expectTypeOf<RouterInputs['users']['roles']['set']['roles']>().toEqualTypeOf<string[]>();
expectTypeOf<Extract<RouterOutputs['auth']['login'], { tokenType: string }>['tokenType']>().toEqualTypeOf<'Bearer'>();
expectTypeOf<Extract<RouterOutputs['auth']['login'], { mfaRequired: true }>['mfaToken']>().toEqualTypeOf<string>();
expectTypeOf<RouterOutputs['auth']['mfa']['verify']['tokenType']>().toEqualTypeOf<'Bearer'>();
expectTypeOf<RouterOutputs['me']['mfa']['get']['required']>().toEqualTypeOf<boolean>();
expectTypeOf<RouterOutputs['rbac']['roles']['list']['items'][number]['requireMfa']>().toEqualTypeOf<boolean>();

// The mailed-link flows: what the pages the links lead to send, and what they show.
expectTypeOf<RouterInputs['auth']['verifyEmail']>().toEqualTypeOf<{ token: string }>();
expectTypeOf<RouterInputs['auth']['confirmEmailChange']>().toEqualTypeOf<{ token: string }>();
expectTypeOf<RouterInputs['auth']['resetPassword']>().toEqualTypeOf<{ token: string; newPassword: string }>();
expectTypeOf<RouterInputs['auth']['requestPasswordReset']>().toEqualTypeOf<{ email: string }>();
expectTypeOf<RouterInputs['auth']['requestEmailVerification']>().toEqualTypeOf<{ email: string }>();
expectTypeOf<RouterInputs['me']['email']['change']>().toEqualTypeOf<{ newEmail: string; currentPassword: string }>();
expectTypeOf<RouterOutputs['auth']['verifyEmail']>().toEqualTypeOf<User>();
expectTypeOf<RouterOutputs['auth']['confirmEmailChange']>().toEqualTypeOf<User>();
expectTypeOf<RouterOutputs['auth']['requestPasswordReset']['message']>().toEqualTypeOf<string>();

// …and the checks are not vacuous: a wrong type is rejected.
// @ts-expect-error the email is a string, never a number
expectTypeOf<RouterOutputs['me']['get']['email']>().toEqualTypeOf<number>();
// @ts-expect-error fullName can be null
expectTypeOf<User['fullName']>().toEqualTypeOf<string>();
// @ts-expect-error there is no such procedure
export type NoSuchProcedure = RouterOutputs['users']['purge'];
// @ts-expect-error a reset needs the link's token, not only a password
export const resetWithoutToken: RouterInputs['auth']['resetPassword'] = { newPassword: 'a long new passphrase' };
// @ts-expect-error `me.update` does not take an email (nor roles, nor isActive)
export const meUpdate: RouterInputs['me']['update'] = { email: 'someone@example.com' };

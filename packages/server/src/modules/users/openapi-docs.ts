import { exampleCursor, exampleOtherUserId, exampleSettingsList, exampleUser, exampleUserId } from '../../openapi/examples.ts';
import type { OperationDocs, ProcedurePath } from '../../openapi/operation-doc.ts';
import { staleSettingsVersion } from '../settings/settings-errors.ts';
import { emailTaken, lastActiveAdmin, rolesNotGrantable, selfDeactivation, userNotFound, versionConflict } from './user-errors.ts';

const otherUser = { ...exampleUser, id: exampleOtherUserId, email: 'grace@example.com', fullName: 'Grace Hopper', roles: ['user'] };

/** The REST document's words on the `users` procedures (see openapi/operation-doc.ts). */
export const usersDocs = {
  'users.list': {
    description:
      'Lists accounts, newest first by default. `search` matches a substring of the email or the full name (case-insensitive); ' +
      '`role` and `isActive` filter; `sort` and `order` choose the order (users without the sorted field come last). ' +
      'Pages are cursor-based: pass `nextCursor` back as `cursor` with the same `sort` and `order` until it is null. ' +
      '`includeTotal=true` adds the exact count of matches. Needs `users:read`.',
    throws: [],
    example: {
      request: { search: 'grace', isActive: true, limit: 20, sort: 'createdAt', order: 'desc', includeTotal: true },
      response: { items: [otherUser], nextCursor: exampleCursor, total: 41 },
    },
  },
  'users.byId': {
    description: "One account's full profile. Callers may always read their own; anyone else's needs `users:read`.",
    throws: [userNotFound],
    example: { request: { id: exampleOtherUserId }, response: otherUser },
  },
  'users.update': {
    description:
      "Changes an account's profile fields or email (omitted fields stay as they are, `null` clears). A new email is unproven " +
      'until its mailed link is followed; the old address gets a notice. Send `expectedVersion` (the `version` you read) to ' +
      'refuse the change if someone else changed the user meanwhile (409). Needs `users:update`.',
    throws: [userNotFound, emailTaken, versionConflict],
    example: {
      request: { id: exampleOtherUserId, fullName: 'Grace B. Hopper', expectedVersion: 3 },
      response: { ...otherUser, fullName: 'Grace B. Hopper', version: 4 },
    },
  },
  'users.deactivate': {
    description:
      'Deactivates an account: it can no longer sign in and its sessions end at once. Its data stays; `reason` (query string) ' +
      'is kept in the audit trail. Deactivating an inactive user changes nothing. Callers cannot deactivate themselves, nor ' +
      'the last active admin. Needs `users:delete`.',
    throws: [userNotFound, selfDeactivation, lastActiveAdmin],
    example: {
      request: { id: exampleOtherUserId, reason: 'left the company' },
      response: { ...otherUser, isActive: false, deactivatedAt: '2026-03-01T08:00:00.000Z', version: 4 },
    },
  },
  'users.reactivate': {
    description: 'Lets a deactivated account sign in again. Reactivating an active user changes nothing. Needs `users:update`.',
    throws: [userNotFound],
    example: { request: { id: exampleOtherUserId }, response: { ...otherUser, version: 5 } },
  },
  'users.publicProfile': {
    description:
      'What every signed-in user may see of an active account: name, avatar, bio, and the settings its owner made public. ' +
      'A deactivated account is 404.',
    throws: [userNotFound],
    example: {
      request: { id: exampleUserId },
      response: {
        id: exampleUserId,
        fullName: 'Ada Lovelace',
        avatarUrl: 'https://images.example.com/ada.png',
        bio: 'Writes the first programs.',
        publicSettings: { 'profile.pronouns': 'she/her', 'profile.location': 'London' },
      },
    },
  },
  'users.roles.set': {
    description:
      "Replaces an account's roles with the given list (every name must exist, 400 otherwise). Callers may only assign roles " +
      'whose permissions they hold, and cannot take the admin role from the last active admin. Takes effect on the next ' +
      'request of that user. Needs `roles:assign`.',
    throws: [userNotFound, rolesNotGrantable, lastActiveAdmin],
    example: {
      request: { id: exampleOtherUserId, roles: ['user', 'support'] },
      response: { ...otherUser, roles: ['support', 'user'], version: 4 },
    },
  },
  'users.settings.get': {
    description: "Another account's settings, as `GET /users/me/settings` shows one's own; `category` narrows them. Needs `users:read`.",
    throws: [userNotFound],
    example: { request: { id: exampleOtherUserId, category: 'ui_preferences' }, response: exampleSettingsList },
  },
  'users.settings.update': {
    description:
      "Changes several of another account's settings at once: all are checked against the catalog and written together, or " +
      'none is (400 lists each refused key). `expectedVersion` refuses the write if the settings changed meanwhile (409). ' +
      'Needs `users:update`.',
    throws: [userNotFound, staleSettingsVersion],
    example: {
      request: { id: exampleOtherUserId, settings: [{ key: 'theme', value: 'dark' }], expectedVersion: 3 },
      response: exampleSettingsList,
    },
  },
} satisfies OperationDocs<Exclude<Extract<ProcedurePath, `users.${string}`>, 'users.mfa.reset' | 'users.export'>>;

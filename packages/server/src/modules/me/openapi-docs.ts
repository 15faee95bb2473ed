import {
  exampleAccepted,
  exampleMe,
  examplePassword,
  examplePreferences,
  exampleSessionId,
  exampleSettingsList,
  exampleUser,
} from '../../openapi/examples.ts';
import type { OperationDocs, ProcedurePath } from '../../openapi/operation-doc.ts';
import { sessionNotFound } from '../sessions/session-errors.ts';
import { staleSettingsVersion } from '../settings/settings-errors.ts';
import { emailTaken, userNotFound, versionConflict } from '../users/user-errors.ts';

/** The REST document's words on the `me` procedures (see openapi/operation-doc.ts). */
export const meDocs = {
  'me.get': {
    description: "The caller's own profile, with the permissions their roles grant (what a client needs to show or hide actions).",
    throws: [],
    example: { response: exampleMe },
  },
  'me.update': {
    description:
      "Changes the caller's own profile fields: omitted fields stay, `null` clears. Email, roles and activation are not " +
      'fields a user can set here (400 naming the field). `expectedVersion` refuses the change if the profile changed meanwhile (409).',
    throws: [userNotFound, versionConflict],
    example: {
      request: { fullName: 'Ada King', timezone: 'Europe/Paris', expectedVersion: 3 },
      response: { ...exampleUser, fullName: 'Ada King', timezone: 'Europe/Paris', version: 4 },
    },
  },
  'me.email.change': {
    description:
      "Asks to move the caller's account to a new address: checks the current password, then mails a confirmation link to " +
      'the new address (`POST /auth/email-change/confirm` completes it) and a notice to the current one. Nothing changes ' +
      'until the link is followed. Counted by the auth rate limit.',
    throws: [emailTaken],
    example: { request: { newEmail: 'ada@new.example.com', currentPassword: examplePassword }, response: exampleAccepted },
  },
  'me.sessions.list': {
    description: "The caller's live sessions (one per sign-in), the one making this call marked `current`.",
    throws: [],
    example: {
      response: {
        items: [
          {
            id: exampleSessionId,
            createdAt: '2026-02-11T16:00:01.000Z',
            lastUsedAt: '2026-02-11T16:20:40.000Z',
            authenticatedAt: '2026-02-11T16:00:01.000Z',
            methods: ['password', 'totp'],
            ip: '203.0.113.7',
            userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
            current: true,
          },
        ],
      },
    },
  },
  'me.sessions.revoke': {
    description: "Ends one of the caller's sessions (signs out that device). Ending the current one is a sign-out.",
    throws: [sessionNotFound],
    example: { request: { sessionId: exampleSessionId } },
  },
  'me.settings.get': {
    description:
      "The caller's settings: every key of the catalog, with the caller's value or the default (`isDefault: true`). " +
      '`version` goes back as `expectedVersion` on a write.',
    throws: [userNotFound],
    example: { request: { category: 'ui_preferences' }, response: exampleSettingsList },
  },
  'me.settings.update': {
    description:
      "Changes several of the caller's settings at once, all or nothing: each value is checked against the catalog (400 lists " +
      'every refused key, and nothing is written). `expectedVersion` refuses the write if the settings changed meanwhile (409).',
    throws: [userNotFound, staleSettingsVersion],
    example: {
      request: {
        settings: [
          { key: 'theme', value: 'dark' },
          { key: 'profile.pronouns', value: 'she/her', isPublic: true },
        ],
        expectedVersion: 3,
      },
      response: exampleSettingsList,
    },
  },
  'me.preferences.get': {
    description:
      "The caller's preferences: a typed view of the settings in the preference categories (theme, language, time zone, date format, notifications).",
    throws: [userNotFound],
    example: { response: examplePreferences },
  },
  'me.preferences.update': {
    description:
      "Changes some of the caller's preferences: the body is deep-merged (omitted fields keep their value). Shares its " +
      '`version` with the settings; `expectedVersion` refuses the write if either changed meanwhile (409).',
    throws: [userNotFound, staleSettingsVersion],
    example: { request: { theme: 'dark', notifications: { sms: false }, expectedVersion: 3 }, response: examplePreferences },
  },
} satisfies OperationDocs<Exclude<Extract<ProcedurePath, `me.${string}`>, `me.mfa.${string}` | `me.passkeys.${string}` | 'me.export'>>;

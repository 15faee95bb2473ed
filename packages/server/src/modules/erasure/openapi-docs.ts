import { exampleOtherUserId, examplePassword, exampleUser } from '../../openapi/examples.ts';
import type { OperationDocs } from '../../openapi/operation-doc.ts';
import { lastActiveAdmin, userNotFound } from '../users/user-errors.ts';
import { selfErasure } from './erasure-errors.ts';

const erasedId = exampleOtherUserId;

/** The REST document's words on erasure (see openapi/operation-doc.ts). */
export const erasureDocs = {
  'users.erase': {
    description:
      "Erases an account's personal data now: the email becomes `erased+<id>@invalid`; name, phone, bio, avatar, locale, " +
      'timezone, preferences, settings and the deactivation reason are cleared; sessions, tokens, factors and passkeys are ' +
      "deleted; so are mail and webhook deliveries about the person (pending and past), and the person's part of past " +
      'audit events (their changes, addresses and user agents). The id stays, so the audit trail stays linked; the account is ' +
      'deactivated for good (reactivating it is a 409). Recorded as `user.erased`. Erasing an erased account changes nothing. ' +
      'Callers cannot erase themselves (`me.delete`), nor the last active admin. Needs `users:delete` and a recent sign-in.',
    throws: [userNotFound, selfErasure, lastActiveAdmin],
    example: {
      request: { id: erasedId },
      response: {
        ...exampleUser,
        id: erasedId,
        email: `erased+${erasedId}@invalid`,
        fullName: null,
        phoneNumber: null,
        timezone: null,
        locale: null,
        avatarUrl: null,
        bio: null,
        isActive: false,
        roles: ['user'],
        deactivatedAt: '2026-03-01T08:00:00.000Z',
        emailVerifiedAt: null,
        version: 4,
      },
    },
  },
  'me.delete': {
    description:
      "Deletes the caller's account: checks the current password, deactivates the account at once (every session ends) and " +
      'erases it as `users.erase` does once `ERASURE_GRACE_DAYS` (default 30) have passed. An administrator who reactivates ' +
      'the account within that time cancels the erasure. The last active admin cannot delete their account (409). Recorded ' +
      'as `user.deletion_requested`. Needs a recent sign-in; counted by the auth rate limit.',
    throws: [lastActiveAdmin],
    example: {
      request: { currentPassword: examplePassword },
      response: { deactivatedAt: '2026-03-01T08:00:00.000Z', erasureScheduledAt: '2026-03-31T08:00:00.000Z' },
    },
  },
} satisfies OperationDocs<'users.erase' | 'me.delete'>;

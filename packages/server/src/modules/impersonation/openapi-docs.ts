import { exampleOtherUserId, exampleUser } from '../../openapi/examples.ts';
import type { OperationDocs } from '../../openapi/operation-doc.ts';
import { userNotFound } from '../users/user-errors.ts';
import { impersonationOfInactiveUser, impersonationOutranks, selfImpersonation } from './impersonation-errors.ts';

/** The REST document's words on `users.impersonate` (see openapi/operation-doc.ts). */
export const impersonationDocs = {
  'users.impersonate': {
    description:
      'Starts a session of another user for the caller to act in, with a `reason` (1–500 characters) kept in the audit ' +
      'trail (`user.impersonation_started`). The answer is an access token for up to an hour and no refresh token: it ' +
      'cannot be renewed, and `auth.logout` with it ends it. Every audit event made in it carries `impersonatorId`; the ' +
      'user sees it in `me.sessions.list`. In it, step-up, password, email, MFA and passkey changes and impersonating ' +
      'further are refused (403 `IMPERSONATION_NOT_ALLOWED`). Refused for yourself and for a user holding any permission ' +
      'the caller lacks (403), for a deactivated user (409). Needs `users:impersonate` and a recent sign-in.',
    throws: [userNotFound, selfImpersonation, impersonationOutranks, impersonationOfInactiveUser],
    example: {
      request: { id: exampleOtherUserId, reason: 'Ticket 4711: the user cannot find the export button' },
      response: {
        accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzaWQiOiI3ZTFmMGMyZCJ9.c2lnbmF0dXJl',
        expiresIn: 3600,
        user: { ...exampleUser, id: exampleOtherUserId, email: 'grace@example.com', fullName: 'Grace Hopper' },
      },
    },
  },
} satisfies OperationDocs<'users.impersonate'>;

import { exampleAccepted, examplePassword, exampleTokens, exampleUser } from '../../openapi/examples.ts';
import type { OperationDocs, ProcedurePath } from '../../openapi/operation-doc.ts';
import { invalidToken } from '../email/account-token.ts';
import { emailTaken } from '../users/user-errors.ts';
import {
  accountLocked,
  emailNotVerified,
  invalidCredentials,
  invalidRefreshToken,
  passwordChangedMeanwhile,
  registrationClosed,
} from './auth-errors.ts';

const newUser = { ...exampleUser, lastLoginAt: null, emailVerifiedAt: null, bio: null, avatarUrl: null, version: 1 };

/** The REST document's words on the `auth` procedures (see openapi/operation-doc.ts). */
export const authDocs = {
  'auth.register': {
    description:
      'Creates an account with the default `user` role and signs it in: the answer carries the new user and a token pair. ' +
      'A link that proves the address is mailed to it. Anyone may call it while registration is open.',
    throws: [registrationClosed, emailTaken],
    example: {
      request: { email: 'ada@example.com', password: examplePassword, fullName: 'Ada Lovelace' },
      response: { ...exampleTokens, user: newUser },
    },
  },
  'auth.login': {
    description:
      'Signs in with email and password and starts a session: a short-lived access token (send it as `Authorization: Bearer …`) ' +
      'and a refresh token. After `LOGIN_LOCKOUT` failures in a row the account is locked for a while (429, even for the right password).',
    throws: [invalidCredentials, emailNotVerified, accountLocked],
    example: {
      request: { email: 'ada@example.com', password: examplePassword },
      response: { ...exampleTokens, tokenType: 'Bearer', user: exampleUser },
    },
  },
  'auth.refresh': {
    description:
      'Trades a refresh token for a new token pair; the one presented stops working. Presenting a refresh token a second time ' +
      '(a stolen copy, or the loser of two simultaneous refreshes) revokes its whole session.',
    throws: [invalidRefreshToken],
    example: { request: { refreshToken: exampleTokens.refreshToken }, response: exampleTokens },
  },
  'auth.logout': {
    description: "Ends the caller's current session: its access and refresh tokens stop working at once.",
    throws: [],
    example: {},
  },
  'auth.logoutAll': {
    description: 'Ends every session of the caller, this one included.',
    throws: [],
    example: {},
  },
  'auth.changePassword': {
    description:
      "Changes the caller's password after checking the current one. Every other session of the caller ends; this one stays. " +
      'The new password must differ from the current one and from the email address (400 naming the field). A notice is mailed.',
    throws: [passwordChangedMeanwhile],
    example: { request: { currentPassword: examplePassword, newPassword: 'a brand new long passphrase' } },
  },
  'auth.requestEmailVerification': {
    description:
      'Mails a new verification link to the address, if it belongs to an account not yet verified. The answer is the same ' +
      'whatever the address (it does not tell whether an account exists), and at most 5 such mails go to one address per hour.',
    throws: [],
    example: { request: { email: 'ada@example.com' }, response: exampleAccepted },
  },
  'auth.verifyEmail': {
    description:
      "Proves the account's address with the token of a mailed verification link, and answers the user. No sign-in needed: " +
      'the token is the proof. A token works once.',
    throws: [invalidToken],
    example: { request: { token: 'Zq3x8W0n2V9yL1cB7kR4tH6mJ5pD0sF3aG8eU2iO1wY' }, response: exampleUser },
  },
  'auth.requestPasswordReset': {
    description:
      'Mails a password reset link (valid 30 minutes) if the address belongs to an active account. Same answer for every ' +
      'address; at most 5 such mails per address per hour.',
    throws: [],
    example: { request: { email: 'ada@example.com' }, response: exampleAccepted },
  },
  'auth.resetPassword': {
    description:
      'Sets a new password with the token of a mailed reset link. Every session of the account ends and other mailed links ' +
      'stop working; a notice is mailed.',
    throws: [invalidToken],
    example: { request: { token: 'Zq3x8W0n2V9yL1cB7kR4tH6mJ5pD0sF3aG8eU2iO1wY', newPassword: 'a brand new long passphrase' } },
  },
  'auth.confirmEmailChange': {
    description:
      'Moves the account to the new address with the token of the link mailed to it (after `POST /users/me/email`); the new ' +
      'address counts as proven, and the old one gets a notice.',
    throws: [invalidToken, emailTaken],
    example: {
      request: { token: 'Zq3x8W0n2V9yL1cB7kR4tH6mJ5pD0sF3aG8eU2iO1wY' },
      response: { ...exampleUser, email: 'ada@new.example.com', version: 4 },
    },
  },
} satisfies OperationDocs<Exclude<Extract<ProcedurePath, `auth.${string}`>, 'auth.mfa.verify' | 'auth.reauthenticate'>>;

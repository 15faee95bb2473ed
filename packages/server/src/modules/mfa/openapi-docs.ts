import { exampleOtherUserId, examplePassword, exampleTokens, exampleUser } from '../../openapi/examples.ts';
import type { OperationDocs } from '../../openapi/operation-doc.ts';
import { accountLocked, sessionEnded } from '../auth/auth-errors.ts';
import { userNotFound } from '../users/user-errors.ts';
import { mfaRequiredByRole, mfaTokenInvalid, noTotpSetup, totpAlreadyEnabled, totpNotEnabled, wrongSecondFactor } from './mfa-errors.ts';

const recoveryCodes = Array.from({ length: 10 }, (_, i) => `abcd-efgh-jk${String(i).padStart(2, '2')}`.slice(0, 14));

/** The REST document's words on the MFA procedures (see openapi/operation-doc.ts). */
export const mfaDocs = {
  'me.mfa.get': {
    description:
      "The caller's second factors: whether an authenticator app is on, how many recovery codes are left, and whether a role requires a factor.",
    throws: [],
    example: {
      response: { totp: { enabled: true, confirmedAt: '2026-01-05T09:30:00.000Z' }, recoveryCodesLeft: 9, passkeys: 0, required: false },
    },
  },
  'me.mfa.totp.setup': {
    description:
      'Starts setting up an authenticator app: a new secret made by the server (kept encrypted), its otpauth URL and QR code. ' +
      'Nothing changes at sign-in until a first code confirms it; a new set-up replaces one not yet confirmed. Step-up: recent.',
    throws: [totpAlreadyEnabled],
    example: {
      response: {
        secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        otpauthUrl:
          'otpauth://totp/User%20Management:ada%40example.com?issuer=User%20Management&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30',
        qrCodeSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 37 37">…</svg>',
      },
    },
  },
  'me.mfa.totp.confirm': {
    description:
      'Turns the authenticator app on with a first code from it; answers ten recovery codes, shown only now. A notice is mailed. ' +
      'A wrong code is a 400 naming `code`.',
    throws: [noTotpSetup, totpAlreadyEnabled, sessionEnded],
    example: { request: { code: '123456' }, response: { recoveryCodes } },
  },
  'me.mfa.totp.disable': {
    description:
      'Turns two-factor authentication off, proven by a current code or a recovery code (400 naming `code` when wrong). Every other ' +
      'session of the caller ends and a notice is mailed. Refused while a role requires a factor. Step-up: recent.',
    throws: [totpNotEnabled, mfaRequiredByRole, sessionEnded],
    example: { request: { code: '123456' } },
  },
  'me.mfa.recoveryCodes.regenerate': {
    description: 'Ten new recovery codes, shown only now; the old ones stop working. A notice is mailed. Step-up: recent.',
    throws: [totpNotEnabled, sessionEnded],
    example: { response: { recoveryCodes } },
  },
  'auth.mfa.verify': {
    description:
      'The second sign-in step: the `mfaToken` from auth.login and a code from the authenticator app (or a recovery code). Only ' +
      'this creates the session. Each code works once; 5 wrong codes void the token and count as failed sign-ins for the lockout.',
    throws: [mfaTokenInvalid, wrongSecondFactor, accountLocked],
    example: {
      request: { mfaToken: 'q8Yb0bq3QbN2Yk9mZc1vJ7w4rT6uH5sE2aL0pK8dF3g', code: '123456' },
      response: { ...exampleTokens, tokenType: 'Bearer', user: { ...exampleUser, mfaEnabled: true } },
    },
  },
  'auth.reauthenticate': {
    description:
      'Proves a factor again on the current session, so step-up ("recent") calls pass for `REAUTH_MAX_AGE` seconds: the password, ' +
      'or, with MFA on, a code or a recovery code. A wrong one is a 400 naming its field.',
    throws: [sessionEnded],
    example: { request: { password: examplePassword } },
  },
  'users.mfa.reset': {
    description:
      "Removes a user's authenticator app and recovery codes and ends every session of theirs (for a user who lost their device). " +
      'A notice is mailed to them. Needs `users:update`; step-up: recent.',
    throws: [userNotFound],
    example: { request: { id: exampleOtherUserId } },
  },
} satisfies OperationDocs<
  | 'me.mfa.get'
  | 'me.mfa.totp.setup'
  | 'me.mfa.totp.confirm'
  | 'me.mfa.totp.disable'
  | 'me.mfa.recoveryCodes.regenerate'
  | 'auth.mfa.verify'
  | 'auth.reauthenticate'
  | 'users.mfa.reset'
>;

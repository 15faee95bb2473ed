import { MFA_REASONS } from '@ums/contract';
import { fieldError } from '../../app-error.ts';
import { defineError } from '../../define-error.ts';

/** Thrown by the procedure builders for a "recent" procedure (trpc/procedures.ts); listed on each such operation. */
export const reauthRequired = defineError(
  {
    code: 'FORBIDDEN',
    reason: MFA_REASONS.reauthRequired,
    description: 'A step-up call from a session that proved no factor within `REAUTH_MAX_AGE` (`reason: REAUTH_REQUIRED`)',
  },
  () => ({ message: 'Confirm it is you: sign in again or call auth.reauthenticate, then retry' }),
);

/** Thrown by the procedure builders for every signed-in procedure not open during enrolment. */
export const mfaEnrolmentRequired = defineError(
  {
    code: 'FORBIDDEN',
    reason: MFA_REASONS.mfaEnrolmentRequired,
    description: 'A role of the caller requires a second factor and they have none yet (`reason: MFA_ENROLMENT_REQUIRED`)',
  },
  () => ({ message: 'A role of yours requires two-factor authentication: set it up first' }),
);

// One answer for an unknown, used, expired or voided token: the caller starts the sign-in again.
export const mfaTokenInvalid = defineError(
  {
    code: 'UNAUTHORIZED',
    reason: MFA_REASONS.mfaTokenInvalid,
    description: 'The mfaToken is unknown, used, expired or voided by 5 wrong codes: sign in again (`reason: MFA_TOKEN_INVALID`)',
  },
  () => ({ message: 'This sign-in attempt has ended; sign in again' }),
);

export const wrongSecondFactor = defineError(
  { code: 'UNAUTHORIZED', reason: MFA_REASONS.invalidCode, description: 'The code is wrong or already used (`reason: INVALID_CODE`)' },
  () => ({ message: 'The code is not valid' }),
);

/** A signed-in call with a wrong code: a 400 naming the field that carried it. */
export const wrongCodeField = (field: string) => fieldError([field], 'is not a valid code', MFA_REASONS.invalidCode);

export const totpNotEnabled = defineError(
  { code: 'CONFLICT', description: 'Two-factor authentication is not on for this account' },
  () => ({ message: 'Two-factor authentication is not on for this account' }),
);
export const totpAlreadyEnabled = defineError(
  { code: 'CONFLICT', description: 'An authenticator app is already set up and confirmed' },
  () => ({ message: 'An authenticator app is already set up; turn it off first to set up another' }),
);
export const noTotpSetup = defineError({ code: 'CONFLICT', description: 'No set-up is waiting for its first code' }, () => ({
  message: 'Start the set-up first (me.mfa.totp.setup)',
}));
export const mfaRequiredByRole = defineError(
  { code: 'CONFLICT', description: 'A role of the caller requires a second factor and this is the only one' },
  () => ({ message: 'A role of yours requires two-factor authentication, and this is your only factor' }),
);

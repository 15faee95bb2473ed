import { MFA_REASONS } from '@ums/contract';
import { AppError, fieldError } from '../../app-error.ts';

export const reauthRequired = () =>
  new AppError('FORBIDDEN', 'Confirm it is you: sign in again or call auth.reauthenticate, then retry', {
    reason: MFA_REASONS.reauthRequired,
  });

export const mfaEnrolmentRequired = () =>
  new AppError('FORBIDDEN', 'A role of yours requires two-factor authentication: set it up first', {
    reason: MFA_REASONS.mfaEnrolmentRequired,
  });

// One answer for an unknown, used, expired or voided token: the caller starts the sign-in again.
export const mfaTokenInvalid = () =>
  new AppError('UNAUTHORIZED', 'This sign-in attempt has ended; sign in again', { reason: MFA_REASONS.mfaTokenInvalid });

/** The second sign-in step with a wrong (or already used) code. */
export const wrongSecondFactor = () => new AppError('UNAUTHORIZED', 'The code is not valid', { reason: MFA_REASONS.invalidCode });

/** A signed-in call with a wrong code: a 400 naming the field that carried it. */
export const wrongCodeField = (field: string) => fieldError([field], 'is not a valid code', MFA_REASONS.invalidCode);

export const totpNotEnabled = () => new AppError('CONFLICT', 'Two-factor authentication is not on for this account');
export const totpAlreadyEnabled = () =>
  new AppError('CONFLICT', 'An authenticator app is already set up; turn it off first to set up another');
export const noTotpSetup = () => new AppError('CONFLICT', 'Start the set-up first (me.mfa.totp.setup)');
export const mfaRequiredByRole = () =>
  new AppError('CONFLICT', 'A role of yours requires two-factor authentication, and this is your only factor');

import { EMAIL_FLOW_REASONS } from '@ums/contract';
import { defineError } from '../../define-error.ts';

// One message for unknown email, wrong password and deactivated account: the answer must not tell them apart.
export const invalidCredentials = defineError(
  { code: 'UNAUTHORIZED', description: 'Wrong email or password, or a deactivated account (one answer for all three)' },
  () => ({ message: 'Invalid email or password' }),
);

// One message for every refresh token that is refused, whatever the reason.
export const invalidRefreshToken = defineError(
  {
    code: 'UNAUTHORIZED',
    description: 'The refresh token is unknown, expired, already used (its session is then revoked) or its session ended',
  },
  () => ({ message: 'Invalid or expired refresh token' }),
);

export const sessionEnded = defineError({ code: 'UNAUTHORIZED', description: 'No valid access token, or its session has ended' }, () => ({
  message: 'Not signed in, or the session has ended',
}));

export const accountLocked = defineError(
  { code: 'TOO_MANY_REQUESTS', description: 'The account is locked after repeated failed sign-ins, even for the right password' },
  (lockedUntil: Date, now: Date) => {
    const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
    return { message: 'Too many failed sign-in attempts; try again later', details: { retryAfterSeconds } };
  },
);

export const emailNotVerified = defineError(
  {
    code: 'FORBIDDEN',
    reason: EMAIL_FLOW_REASONS.emailNotVerified,
    description: 'With `REQUIRE_EMAIL_VERIFICATION=true`: the address is not proven yet (`reason: EMAIL_NOT_VERIFIED`)',
  },
  () => ({ message: 'Confirm your email address first: follow the link that was mailed to you' }),
);

export const registrationClosed = defineError(
  { code: 'FORBIDDEN', description: 'Registration is turned off on this server (`REGISTRATION=closed`)' },
  () => ({ message: 'Registration is closed' }),
);

export const passwordChangedMeanwhile = defineError(
  { code: 'CONFLICT', description: 'Another password change of the same account won the race' },
  () => ({ message: 'The password was changed meanwhile; sign in again and retry' }),
);

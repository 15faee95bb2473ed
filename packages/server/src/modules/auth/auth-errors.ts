import { EMAIL_FLOW_REASONS } from '@ums/contract';
import { AppError } from '../../app-error.ts';

// One message for unknown email, wrong password and deactivated account: the answer must not tell them apart.
export const invalidCredentials = () => new AppError('UNAUTHORIZED', 'Invalid email or password');

// One message for every refresh token that is refused, whatever the reason.
export const invalidRefreshToken = () => new AppError('UNAUTHORIZED', 'Invalid or expired refresh token');

export const sessionEnded = () => new AppError('UNAUTHORIZED', 'Not signed in, or the session has ended');

export function accountLocked(lockedUntil: Date, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  return new AppError('TOO_MANY_REQUESTS', 'Too many failed sign-in attempts; try again later', { retryAfterSeconds });
}

export const emailNotVerified = () =>
  new AppError('FORBIDDEN', 'Confirm your email address first: follow the link that was mailed to you', {
    reason: EMAIL_FLOW_REASONS.emailNotVerified,
  });

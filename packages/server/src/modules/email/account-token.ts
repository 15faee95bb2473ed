import { createHash, randomBytes } from 'node:crypto';
import { EMAIL_FLOW_REASONS } from '@ums/contract';
import { type AccountTokenPurpose, type DbHandle, replaceAccountToken } from '@ums/db';
import { defineError } from '../../define-error.ts';

/** How long each kind of mailed link works (API.md Part 2). */
export const TOKEN_LIFETIME_MS: Readonly<Record<AccountTokenPurpose, number>> = {
  email_verification: 24 * 3600_000,
  password_reset: 30 * 60_000,
  email_change: 24 * 3600_000,
};

/** What is stored of a token: its SHA-256. The token itself exists only in the mail (and sealed in the outbox). */
export const hashAccountToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A new single-use token for a mailed link: 32 random bytes, URL-safe. The user's older live token of the same
 * purpose is voided in the same transaction, so only the newest link works.
 */
export async function issueAccountToken(
  tx: DbHandle,
  { userId, purpose, email }: { userId: string; purpose: AccountTokenPurpose; email: string },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await replaceAccountToken(tx, {
    userId,
    purpose,
    email,
    tokenHash: hashAccountToken(token),
    expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
  });
  return token;
}

/** One answer for a token that is wrong, used, voided or expired: the caller learns nothing about which. */
export const invalidToken = defineError(
  {
    code: 'BAD_REQUEST',
    reason: EMAIL_FLOW_REASONS.invalidToken,
    description: 'The link is wrong, expired, used or replaced by a newer one (`reason: INVALID_TOKEN`, issue at `token`)',
  },
  () => ({
    message: 'Input validation failed',
    details: {
      issues: [{ path: ['token'], message: 'is not a valid link: it may have expired, been used, or been replaced by a newer one' }],
    },
  }),
);

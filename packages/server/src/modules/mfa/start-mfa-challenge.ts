import { randomBytes } from 'node:crypto';
import type { TMfaChallenge } from '@ums/contract';
import { countRecoveryCodesLeft, type DbHandle, insertMfaChallenge } from '@ums/db';
import { hashRefreshToken } from '../auth/tokens.ts';

export const MFA_CHALLENGE_TTL_SECONDS = 300;
/** Wrong codes after which an mfaToken is void (each also counts as a failed sign-in). */
export const MFA_MAX_ATTEMPTS = 5;

/** SHA-256 of an mfaToken: the only form it is kept in. */
export const hashMfaToken = hashRefreshToken;

/**
 * The first step of a sign-in with MFA, inside the password check's transaction: an opaque single-use token bound
 * to the account. No session, refresh token or access token exists until `auth.mfa.verify` answers it.
 */
export async function startMfaChallenge(tx: DbHandle, userId: string): Promise<TMfaChallenge> {
  const mfaToken = randomBytes(32).toString('base64url');
  await insertMfaChallenge(tx, {
    userId,
    tokenHash: hashMfaToken(mfaToken),
    expiresAt: new Date(Date.now() + MFA_CHALLENGE_TTL_SECONDS * 1000),
  });
  const recoveryCodesLeft = await countRecoveryCodesLeft(tx, userId);
  return {
    mfaRequired: true,
    mfaToken,
    methods: recoveryCodesLeft > 0 ? ['totp', 'recovery_code'] : ['totp'],
    expiresIn: MFA_CHALLENGE_TTL_SECONDS,
  };
}

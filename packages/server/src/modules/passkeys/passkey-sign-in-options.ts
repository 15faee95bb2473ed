import type { TPasskeySignInOptions, TPasskeySignInOptionsInput } from '@ums/contract';
import {
  deleteStalePasskeyChallenges,
  findLiveMfaChallenge,
  findSignInAccount,
  insertPasskeyChallenge,
  listPasskeyCredentials,
} from '@ums/db';
import { mfaTokenInvalid } from '../mfa/mfa-errors.ts';
import { hashMfaToken, MFA_MAX_ATTEMPTS } from '../mfa/start-mfa-challenge.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { authenticationOptions, PASSKEY_CHALLENGE_TTL_SECONDS } from './webauthn.ts';

/**
 * A sign-in attempt with a passkey: request options and the attempt's id, the challenge kept for 5 minutes. With no
 * input any discoverable credential may answer; with an email only that account's passkeys count (an unknown address
 * gets options like any other, so the answer does not tell whether it exists); with an mfaToken it is the second
 * step of that sign-in, answered through auth.mfa.verify.
 */
export async function passkeySignInOptions(
  { db, config }: Pick<ServiceDeps, 'db' | 'config'>,
  input: TPasskeySignInOptionsInput,
): Promise<TPasskeySignInOptions> {
  let userId: string | null = null;
  let mfaTokenHash: string | null = null;
  if (input.mfaToken !== undefined) {
    mfaTokenHash = hashMfaToken(input.mfaToken);
    const challenge = await findLiveMfaChallenge(db, mfaTokenHash, MFA_MAX_ATTEMPTS);
    if (!challenge) throw mfaTokenInvalid();
    userId = challenge.userId;
  } else if (input.email !== undefined) {
    const account = await findSignInAccount(db, input.email);
    userId = account?.isActive ? account.id : null;
  }
  const allowed = userId ? await listPasskeyCredentials(db, userId) : [];
  const options = await authenticationOptions(config.webauthn, allowed);
  await deleteStalePasskeyChallenges(db);
  const attemptId = await insertPasskeyChallenge(db, {
    purpose: input.mfaToken !== undefined ? 'second_step' : input.email !== undefined ? 'sign_in_account' : 'sign_in',
    challenge: options.challenge,
    // An email names the account the passkey must belong to, even one that does not exist (then none does).
    userId,
    mfaTokenHash,
    expiresAt: new Date(Date.now() + PASSKEY_CHALLENGE_TTL_SECONDS * 1000),
  });
  return { attemptId, options };
}

import { TRPCClientError } from '@trpc/client';
import { MFA_REASONS, type TLoginOutcome, type TLoginResult, type TMfaChallenge, type TReauthenticateInput } from '@ums/contract';
import type { AppClient } from './create-client.ts';
import type { TokenStore } from './token-store.ts';

/** `auth.login` answered the first step of a sign-in with MFA: no session yet. */
export const isMfaChallenge = (outcome: TLoginOutcome): outcome is TMfaChallenge =>
  'mfaRequired' in outcome && outcome.mfaRequired === true;

/** What a sign-in came to: signed in (the tokens are stored), or a second step to answer. */
export type SignInOutcome = { status: 'signedIn'; session: TLoginResult } | { status: 'mfaRequired'; challenge: TMfaChallenge };

/** `auth.login`, typed by outcome; a session's tokens go to the store. */
export async function signIn(client: AppClient, tokens: TokenStore, input: { email: string; password: string }): Promise<SignInOutcome> {
  const outcome = await client.auth.login.mutate(input);
  if (isMfaChallenge(outcome)) return { status: 'mfaRequired', challenge: outcome };
  tokens.set(outcome);
  return { status: 'signedIn', session: outcome };
}

/** The second step (`auth.mfa.verify`) with a TOTP code or a recovery code; the session's tokens go to the store. */
export async function completeSignIn(
  client: AppClient,
  tokens: TokenStore,
  input: { mfaToken: string } & ({ code: string } | { recoveryCode: string }),
): Promise<TLoginResult> {
  const session = await client.auth.mfa.verify.mutate(input);
  tokens.set(session);
  return session;
}

export type MfaReason = (typeof MFA_REASONS)[keyof typeof MFA_REASONS];

/** The contract's machine-readable `reason` of a failed call (`REAUTH_REQUIRED`, `INVALID_TOKEN`…), if any. */
export function reasonOf(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const reason = (error.data as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** A "recent" call refused: the session must prove a factor again (auth.reauthenticate), then retry. */
export const isReauthRequired = (error: unknown) => reasonOf(error) === MFA_REASONS.reauthRequired;
/** The caller must set up a second factor before anything but enrolment works. */
export const isMfaEnrolmentRequired = (error: unknown) => reasonOf(error) === MFA_REASONS.mfaEnrolmentRequired;

/**
 * Runs `call`; when it answers REAUTH_REQUIRED, asks `prove` for a password, code or recovery code (a prompt to the
 * user), reauthenticates with it and runs `call` once more. `prove` resolving to null gives up with the original
 * error. A wrong proof rejects with auth.reauthenticate's 400 (naming the field) so the prompt can say so.
 */
export async function withReauthentication<T>(
  client: AppClient,
  call: () => Promise<T>,
  prove: () => Promise<TReauthenticateInput | null>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isReauthRequired(error)) throw error;
    const proof = await prove();
    if (!proof) throw error;
    await client.auth.reauthenticate.mutate(proof);
    return call();
  }
}

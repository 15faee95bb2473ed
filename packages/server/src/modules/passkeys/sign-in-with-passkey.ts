import type { TLoginResult, TPasskeyProof } from '@ums/contract';
import { emailNotVerified } from '../auth/auth-errors.ts';
import { completeSignIn, lockSignInState } from '../auth/complete-sign-in.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { acceptPasskeyCounter, provePasskey, refuseCounterRegression } from './prove-passkey.ts';

/**
 * `auth.passkey.login`: a passkey alone signs in. It proves possession and user verification (a PIN or biometric on
 * the authenticator), so it counts as both factors: the session's methods are `["passkey"]`.
 */
export async function signInWithPasskey(deps: ServiceDeps, input: TPasskeyProof): Promise<TLoginResult> {
  const proven = await provePasskey(deps, input, { purposes: ['sign_in', 'sign_in_account'] });
  const signedIn = await deps.db.transaction(async (tx) => {
    const now = new Date();
    const state = await lockSignInState(tx, proven.userId, now);
    if (deps.config.requireEmailVerification && !state.emailVerifiedAt) throw emailNotVerified();
    if (!(await acceptPasskeyCounter(tx, proven))) return null;
    return completeSignIn(deps, tx, { userId: proven.userId, state, now, methods: ['passkey'] });
  });
  return signedIn ?? refuseCounterRegression(deps, proven);
}

// What clients import: the router's type (never its code), the inferred inputs and outputs, the contract and a
// ready-made client. Nothing here may pull server code into a bundle (src/bundle.test.ts checks).

export * from '@ums/contract';
export type { AppRouter, RouterInputs, RouterOutputs } from '@ums/server';
export { type AppClient, type CreateClientOptions, createClient } from './create-client.ts';
export { errorCodeOf, fieldErrorsOf, issuesOf } from './errors.ts';
export {
  completeSignIn,
  isMfaChallenge,
  isMfaEnrolmentRequired,
  isReauthRequired,
  type MfaReason,
  reasonOf,
  type SignInOutcome,
  signIn,
  withReauthentication,
} from './mfa.ts';
export { isUnauthorized } from './refresh-link.ts';
export { memoryTokenStore, type TokenPair, type TokenStore } from './token-store.ts';

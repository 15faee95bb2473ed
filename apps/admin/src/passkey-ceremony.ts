import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import type { AppClient, TAuthenticationResponse, TPasskeyProof, TRegistrationResponse, TWebAuthnOptions } from '@ums/shared';

// The server sends the library's own option JSON (the contract keeps it an open object); the browser's answers are
// the JSON forms the contract's schemas check field by field on arrival.
const requestOptions = (options: TWebAuthnOptions) => options as unknown as PublicKeyCredentialRequestOptionsJSON;
const creationOptions = (options: TWebAuthnOptions) => options as unknown as PublicKeyCredentialCreationOptionsJSON;

/** Asks the browser for a passkey for a sign-in attempt: `{}` (any passkey) or `{ mfaToken }` (the second step). */
export async function passkeyProof(client: AppClient, input: { mfaToken?: string } = {}): Promise<TPasskeyProof> {
  const { attemptId, options } = await client.auth.passkey.options.mutate(input);
  const response = await startAuthentication({ optionsJSON: requestOptions(options) });
  return { attemptId, response: response as TAuthenticationResponse };
}

/** Creates a passkey in the browser for the signed-in user and registers it under `name`. */
export async function addPasskey(client: AppClient, name: string) {
  const options = await client.me.passkeys.registrationOptions.mutate();
  const response = await startRegistration({ optionsJSON: creationOptions(options) });
  return client.me.passkeys.register.mutate({ name, response: response as TRegistrationResponse });
}

import {
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { TAuthenticationResponse, TRegistrationResponse, TWebAuthnOptions } from '@ums/contract';
import type { WebAuthnConfig } from '../../config.ts';

/** How long a challenge can be answered (the contract's 5 minutes); the browser gets the same as its timeout. */
export const PASSKEY_CHALLENGE_TTL_SECONDS = 300;

const asTransports = (transports: string[]) => transports as AuthenticatorTransportFuture[];

/** Creation options: a discoverable credential preferred, user verification required, the user's own excluded. */
export async function registrationOptions(
  rp: WebAuthnConfig,
  user: { id: string; email: string; fullName: string | null },
  existing: { credentialId: string; transports: string[] }[],
): Promise<TWebAuthnOptions> {
  return asOptions(
    await generateRegistrationOptions({
      rpName: rp.rpName,
      rpID: rp.rpId,
      userID: new TextEncoder().encode(user.id),
      userName: user.email,
      userDisplayName: user.fullName ?? user.email,
      attestationType: 'none',
      timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
      excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: asTransports(c.transports) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    }),
  );
}

/** Request options: `allowed` empty means any discoverable credential of this RP. */
export async function authenticationOptions(
  rp: WebAuthnConfig,
  allowed: { credentialId: string; transports: string[] }[],
): Promise<TWebAuthnOptions> {
  return asOptions(
    await generateAuthenticationOptions({
      rpID: rp.rpId,
      timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
      userVerification: 'required',
      allowCredentials: allowed.map((c) => ({ id: c.credentialId, transports: asTransports(c.transports) })),
    }),
  );
}

/** The library's option types as the contract's open JSON object (the same value; its interfaces lack an index signature). */
const asOptions = (options: { challenge: string }): TWebAuthnOptions => ({ ...options });

/** The challenge the client says it signed (base64url), read from clientDataJSON; null when unreadable. */
export function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' ? data.challenge : null;
  } catch {
    return null;
  }
}

/** The new credential, or null when the response does not verify (origin, RP ID, challenge, user verification). */
export async function verifyRegistration(rp: WebAuthnConfig, response: TRegistrationResponse, expectedChallenge: string) {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
    });
    if (!result.verified) return null;
    const { credential, credentialBackedUp } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: response.response.transports ?? credential.transports ?? [],
      backedUp: credentialBackedUp,
    };
  } catch {
    return null;
  }
}

/**
 * The assertion's new counter and backed-up flag, or null when it does not verify. The counter rule itself is the
 * caller's compare-and-set (advancePasskeyCounter), so the library is given 0 and never refuses on the counter.
 */
export async function verifyAuthentication(
  rp: WebAuthnConfig,
  response: TAuthenticationResponse,
  expectedChallenge: string,
  credential: { credentialId: string; publicKey: Uint8Array; transports: string[] },
) {
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserVerification: true,
      credential: {
        id: credential.credentialId,
        publicKey: new Uint8Array(credential.publicKey),
        counter: 0,
        transports: asTransports(credential.transports),
      },
    });
    if (!result.verified) return null;
    return { counter: result.authenticationInfo.newCounter, backedUp: result.authenticationInfo.credentialBackedUp };
  } catch {
    return null;
  }
}

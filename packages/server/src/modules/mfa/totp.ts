import { Secret, TOTP } from 'otpauth';

// RFC 6238 as the contract fixes it: SHA-1, 6 digits, 30-second steps, one step of drift either way.
const PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
const DRIFT_STEPS = 1;
/** 160 bits, the HMAC-SHA-1 key size RFC 4226 recommends. */
const SECRET_BYTES = 20;

/** A new random TOTP secret, base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: SECRET_BYTES }).base32;

/** The `otpauth://totp/…` URL an authenticator app (or its QR code) takes. */
export const totpUrl = ({ secret, issuer, account }: { secret: string; issuer: string; account: string }): string =>
  new TOTP({ ...PARAMS, issuer, label: account, secret: Secret.fromBase32(secret) }).toString();

/**
 * The time step `code` is valid for at `now` (within the drift window), or null. The caller still has to claim
 * the step (claimTotpStep): a matching code is accepted only for a step later than the last one used.
 */
export function totpStepOf(secret: string, code: string, now = Date.now()): number | null {
  const totp = new TOTP({ ...PARAMS, secret: Secret.fromBase32(secret) });
  const delta = totp.validate({ token: code, timestamp: now, window: DRIFT_STEPS });
  return delta === null ? null : totp.counter({ timestamp: now }) + delta;
}

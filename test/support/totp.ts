import { Secret, TOTP } from 'otpauth';

/** The step the server is in now (30-second steps since the epoch). */
export const currentStep = (now = Date.now()) => Math.floor(now / 30_000);

/** The code an authenticator app shows for `step` (default: now), computed here as a phone would. */
export const totpCode = (secret: string, step = currentStep()) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: step * 30_000 + 1 });

/**
 * Waits until at least `seconds` of the current step are left, so codes computed for the steps around now are
 * still inside the server's window when it checks them (a loaded machine may take a few seconds per call).
 */
export async function awayFromStepEdge(seconds = 8): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

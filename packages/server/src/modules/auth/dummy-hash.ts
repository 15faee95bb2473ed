import { randomBytes } from 'node:crypto';
import { hashPassword } from './passwords.ts';

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random password with the current parameters, made once on first use. Login verifies against it when
 * the account is unknown or deactivated, so those answers cost what a real check costs and timing reveals nothing.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url')).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}

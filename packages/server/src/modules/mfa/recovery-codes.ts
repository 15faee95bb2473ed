import { createHash, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
// 12 characters of a 31-letter alphabet without look-alikes (no 0/o, 1/l/i): about 59 bits each, shown as xxxx-xxxx-xxxx.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** Ten new recovery codes, to show once; only their hashes are kept. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')).join(
      '-',
    ),
  );
}

/**
 * What is stored of a recovery code: SHA-256 of its normalised form (case, spaces and dashes dropped). The codes
 * carry about 59 random bits, so a fast hash is enough (as for refresh tokens); a slow one would only slow sign-in.
 */
export const hashRecoveryCode = (code: string): string =>
  createHash('sha256')
    .update(code.toLowerCase().replace(/[\s-]+/g, ''))
    .digest('hex');

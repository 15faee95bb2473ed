import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** Seals short secrets kept at rest (AES-256-GCM); each sealed value names the key it was sealed with. */
export interface SecretBox {
  /** The id of the key that seals now; stored beside sealed values so a key rotation can find what to re-seal. */
  readonly keyId: string;
  seal(plaintext: string): string;
  /** Throws when the value was not sealed by a key this box holds, or was altered. */
  open(sealed: string): string;
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  id: string;
  bytes: Buffer;
}

// The configured key may be any string of 32+ bytes; HKDF turns it into exactly the 32 bytes AES-256 takes.
function deriveKey(material: Buffer): Key {
  const bytes = Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'ums secret box v1', 32));
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

/**
 * `current` seals; `previous` keys (after a rotation) still open what they sealed. A value reads
 * `v1.<key id>.<iv>.<ciphertext and tag>` (base64url), so it can be re-sealed under a new key later.
 */
export function createSecretBox(current: Buffer, previous: readonly Buffer[] = []): SecretBox {
  const sealing = deriveKey(current);
  const keys = new Map([sealing, ...previous.map(deriveKey)].map((key) => [key.id, key.bytes]));
  return {
    keyId: sealing.id,
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', sealing.bytes, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [FORMAT, sealing.id, iv.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [format, keyId, iv, body] = sealed.split('.');
      const key = keyId === undefined ? undefined : keys.get(keyId);
      if (format !== FORMAT || !key || !iv || !body) throw new Error('not a sealed value of a known key');
      const data = Buffer.from(body, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}

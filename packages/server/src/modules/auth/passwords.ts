import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

/**
 * argon2id (the library's default algorithm) at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). @node-rs/argon2 runs on the libuv thread
 * pool, off the event loop. Raising these makes `needsRehash` true for older hashes, which login then upgrades.
 */
export const PASSWORD_HASH_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most one hash per core at a time. Each run holds its 19 MiB while it works; more runs than cores only wait
 * inside the thread pool with their memory taken (a burst of logins put ~80 MB on the server's resident memory),
 * and sign-in throughput is bound by the cores either way.
 */
const oneHashPerCore = pLimit(availableParallelism());

export const hashPassword = (password: string) => oneHashPerCore(() => hash(password, PASSWORD_HASH_PARAMS));

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await oneHashPerCore(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than the current ones (or another algorithm). */
export function needsRehash(passwordHash: string): boolean {
  const { memoryCost, timeCost, parallelism } = PASSWORD_HASH_PARAMS;
  return !passwordHash.startsWith(`$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$`);
}

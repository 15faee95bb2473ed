import { availableParallelism } from 'node:os';
import { describe, expect, it, vi } from 'vitest';

// The real argon2id, wrapped to count the runs in progress at once.
const progress = vi.hoisted(() => ({ running: 0, most: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  const counted =
    <Args extends unknown[], Result>(run: (...args: Args) => Promise<Result>) =>
    async (...args: Args) => {
      progress.running += 1;
      progress.most = Math.max(progress.most, progress.running);
      try {
        return await run(...args);
      } finally {
        progress.running -= 1;
      }
    };
  return { ...real, hash: counted(real.hash), verify: counted(real.verify) };
});

const { hashPassword, verifyPassword } = await import('@ums/server/src/modules/auth/passwords.ts');

describe('password hashing under a burst', () => {
  it('runs at most one argon2id hash per core at a time, and every hash and verification still completes', async () => {
    const passwords = Array.from({ length: availableParallelism() * 3 }, (_, i) => `burst passphrase ${i}`);
    const hashes = await Promise.all(passwords.map((password) => hashPassword(password)));
    expect(progress.most).toBe(Math.min(availableParallelism(), passwords.length));

    progress.most = 0;
    const checks = await Promise.all(hashes.map((hash, i) => verifyPassword(hash, passwords[i]!)));
    expect(checks.every(Boolean)).toBe(true);
    expect(await verifyPassword(hashes[0]!, 'not the passphrase')).toBe(false);
    expect(progress.most).toBeLessThanOrEqual(availableParallelism());
    expect(progress.running).toBe(0);
  });
});

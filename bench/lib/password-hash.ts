import { hashPassword, PASSWORD_HASH_PARAMS } from '@ums/server/src/modules/auth/passwords.ts';
import { BENCH_PASSWORD } from './seed.ts';

export interface HashCost {
  params: string;
  /** One hash at a time: the floor under a single login's latency. */
  sequentialMs: number;
  sequentialPerSecond: number;
  /** As many at once as the libuv pool runs: the ceiling on logins/s of one server process. */
  parallel: number;
  parallelPerSecond: number;
}

/** The bare cost of the server's own argon2id hash on this machine (run while the servers are idle). */
export async function measureHashCost(seconds: number): Promise<HashCost> {
  await hashPassword(BENCH_PASSWORD); // warm-up: loads the native module
  let started = performance.now();
  let sequential = 0;
  while (performance.now() - started < seconds * 1000 && sequential < 1000) {
    await hashPassword(BENCH_PASSWORD);
    sequential += 1;
  }
  const sequentialSeconds = (performance.now() - started) / 1000;

  // The server runs argon2 on libuv's pool, 4 threads unless UV_THREADPOOL_SIZE says otherwise.
  const parallel = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() - started < seconds * 1000 && done < 4000) {
        await hashPassword(BENCH_PASSWORD);
        done += 1;
      }
    }),
  );
  const parallelSeconds = (performance.now() - started) / 1000;
  const { memoryCost, timeCost, parallelism } = PASSWORD_HASH_PARAMS;
  return {
    params: `argon2id m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}`,
    sequentialMs: (sequentialSeconds * 1000) / sequential,
    sequentialPerSecond: sequential / sequentialSeconds,
    parallel,
    parallelPerSecond: done / parallelSeconds,
  };
}

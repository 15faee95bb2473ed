import { setTimeout as sleep } from 'node:timers/promises';
import type { SignedIn } from '../../support/users.ts';
import { type NoAnswer, NoAnswerError, oneShot } from './one-shot-http.ts';

/** The three versioned write paths of a user's own data; each write carries a value unique to it. */
export type WriteKind = 'profile' | 'settings' | 'preferences';

export interface WriteOutcome {
  userId: string;
  kind: WriteKind;
  value: string;
  /** HTTP status, or how the request ended without one. */
  result: number | NoAnswer;
  requestId: string | null;
  startedAt: number;
  endedAt: number;
}

const acknowledged = (outcome: WriteOutcome) => typeof outcome.result === 'number' && outcome.result >= 200 && outcome.result < 300;

export { acknowledged as isAcknowledged };

function writeRequest(kind: WriteKind, value: string) {
  switch (kind) {
    case 'profile':
      return { method: 'PUT', path: '/api/v1/users/me', body: { fullName: value } };
    case 'settings':
      return { method: 'PUT', path: '/api/v1/users/me/settings', body: { settings: [{ key: 'profile.headline', value }] } };
    case 'preferences':
      return { method: 'PUT', path: '/api/v1/users/me/preferences', body: { language: value } };
  }
}

/** A value unique per user and write, valid for every kind (a BCP 47-like tag satisfies the language rule). */
const uniqueValue = (sequence: number) => `en-n${sequence}`;

export interface WriteLoad {
  readonly outcomes: readonly WriteOutcome[];
  acknowledgedSince(time: number): number;
  /** Requests sent and not answered yet. */
  inFlight(): number;
  stop(): Promise<WriteOutcome[]>;
}

/**
 * One writer per user, each sending its next write as soon as the previous one is answered (after a short pause
 * when it failed, so an outage is not a busy loop), rotating through `kinds`. `baseUrl` is read at every request,
 * so the load can follow a restarted server.
 */
export function startWriteLoad(
  baseUrl: () => string,
  users: readonly SignedIn[],
  {
    kinds,
    timeoutMs = 10_000,
    pauseAfterFailureMs = 50,
  }: { kinds: readonly WriteKind[]; timeoutMs?: number; pauseAfterFailureMs?: number },
): WriteLoad {
  const outcomes: WriteOutcome[] = [];
  let running = true;
  let pending = 0;
  const writers = users.map(async (user) => {
    for (let sequence = 1; running; sequence++) {
      const kind = kinds[sequence % kinds.length] as WriteKind;
      const value = uniqueValue(sequence);
      const startedAt = performance.now();
      let result: WriteOutcome['result'];
      let requestId: string | null = null;
      pending++;
      try {
        const answer = await oneShot(baseUrl(), { ...writeRequest(kind, value), headers: user.headers, timeoutMs });
        result = answer.status;
        requestId = answer.requestId;
      } catch (error) {
        if (!(error instanceof NoAnswerError)) throw error;
        result = error.kind;
      } finally {
        pending--;
      }
      const outcome = { userId: user.id, kind, value, result, requestId, startedAt, endedAt: performance.now() };
      outcomes.push(outcome);
      if (!acknowledged(outcome)) await sleep(pauseAfterFailureMs);
    }
  });
  return {
    outcomes,
    acknowledgedSince: (time) => outcomes.filter((outcome) => outcome.endedAt >= time && acknowledged(outcome)).length,
    inFlight: () => pending,
    stop: async () => {
      running = false;
      await Promise.all(writers);
      return outcomes;
    },
  };
}

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!predicate()) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
  return performance.now() - started;
}

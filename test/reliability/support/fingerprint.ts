import type { PrismaClient } from '@ums/db';

/**
 * A cheap fingerprint of everything the service stores: per table, a row count and an md5 of its rows. Computed
 * before and after a call, it proves the call changed nothing. Built from the catalog, so a table added later is
 * covered too. Two kinds of bookkeeping are kept in parts of their own, so a test can allow exactly them:
 * - `users` login counters (failed_logins, lockouts, locked_until) and `audit_events` per action: a refused sign-in
 *   counts a failure and records `auth.login_failed` (API.md, brute-force protection);
 * - `sessions.last_used_at` is left out: it records that a request was made, whatever its outcome;
 * - so is the `outbox`'s delivery state (attempts, claims, outcome): the dispatcher writes it after the call that
 *   enqueued the message, in its own time. A message written by a refused call still shows: the row is new.
 */
export type Fingerprint = ReadonlyMap<string, string>;

const LOGIN_BOOKKEEPING = ['failed_logins', 'lockouts', 'locked_until'];
const NOT_STATE: Record<string, string[]> = {
  sessions: ['last_used_at'],
  outbox: ['status', 'attempts', 'available_at', 'claim_id', 'last_error', 'finished_at', 'sealed_secret'],
};

export interface Fingerprinter {
  take(): Promise<Fingerprint>;
}

/** Tells which parts of the fingerprint changed since the last look, cheaply when nothing was written. */
export interface ChangeDetector {
  /** The parts changed since the previous call (or since creation); the current state becomes the new baseline. */
  changes(): Promise<string[]>;
}

async function createFingerprinter(db: PrismaClient): Promise<Fingerprinter> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
      ORDER BY table_name`,
  );
  const rowsOf = (without: string[]) => `(to_jsonb(t)${without.map((column) => ` - '${column}'`).join('')})::text`;
  const digest = (table: string, without: string[]) =>
    `SELECT count(*)::int AS n, md5(coalesce(string_agg(${rowsOf(without)}, '|' ORDER BY ${rowsOf(without)}), '')) AS h
       FROM "${table}" t`;

  const parts: string[] = [];
  for (const { name } of tables) {
    if (name === 'audit_events') {
      // Each event with its personal parts (audit_event_personal_data), so an allowance per action covers both.
      parts.push(
        `SELECT 'audit_events:' || action AS part, count(*)::int AS n,
                md5(string_agg(to_jsonb(t)::text || coalesce((SELECT string_agg(p.data::text, '|' ORDER BY p.part)
                                                                 FROM audit_event_personal_data p WHERE p.event_id = t.id), ''),
                               '|' ORDER BY id)) AS h
           FROM audit_events t GROUP BY action`,
      );
      continue;
    }
    // A personal part belongs to its event's part above (so erasing it shows there, under the event's action);
    // only a part without its event would be a change of its own.
    if (name === 'audit_event_personal_data') {
      parts.push(
        `SELECT 'audit_event_personal_data' AS part, count(*)::int AS n, '' AS h FROM audit_event_personal_data p
          WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.id = p.event_id)`,
      );
      continue;
    }
    const without = [...(NOT_STATE[name] ?? []), ...(name === 'users' ? LOGIN_BOOKKEEPING : [])];
    parts.push(`SELECT '${name}' AS part, d.n, d.h FROM (${digest(name, without)}) d`);
    if (name === 'users') {
      parts.push(
        `SELECT 'users:login-bookkeeping' AS part, count(*)::int AS n,
                md5(coalesce(string_agg(concat_ws(',', id, ${LOGIN_BOOKKEEPING.join(', ')}), '|' ORDER BY id), '')) AS h
           FROM users`,
      );
    }
  }
  const sql = parts.join('\nUNION ALL\n');
  return {
    async take() {
      const rows = await db.$queryRawUnsafe<{ part: string; n: number; h: string }[]>(sql);
      return new Map(rows.map((row) => [row.part, `${row.n}:${row.h}`]));
    },
  };
}

/** The parts that differ between two fingerprints (a part that appeared or vanished counts too). */
function changedParts(before: Fingerprint, after: Fingerprint): string[] {
  const parts = new Set([...before.keys(), ...after.keys()]);
  return [...parts].filter((part) => before.get(part) !== after.get(part)).sort();
}

/**
 * Every transaction that writes, even one rolled back later, takes a transaction id, and the cluster's next id moves
 * on. While it has not moved nothing can have changed, and one tiny query proves it; only when it has does the full
 * fingerprint run. The reliability cluster serves one test file at a time, so other databases do not move it often.
 */
export async function createChangeDetector(db: PrismaClient): Promise<ChangeDetector> {
  const fingerprinter = await createFingerprinter(db);
  const nextTransactionId = async () => {
    const [row] = await db.$queryRawUnsafe<{ next: string }[]>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next');
    return row?.next ?? '';
  };
  let mark = await nextTransactionId();
  let state = await fingerprinter.take();
  return {
    async changes() {
      const now = await nextTransactionId();
      if (now === mark) return [];
      const next = await fingerprinter.take();
      // `now` was read before the fingerprint: a write landing in between makes the next call look again.
      mark = now;
      const changed = changedParts(state, next);
      state = next;
      return changed;
    },
  };
}

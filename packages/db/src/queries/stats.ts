import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

export interface UserTotalsRow {
  total: number;
  active: number;
  verified: number;
  mfa: number;
}

export interface DailySignInsRow {
  date: string;
  signUps: number;
  signIns: number;
  failedSignIns: number;
}

/**
 * The user totals: the 16 shards of `user_counters` summed. Triggers keep them (see the stats_counters migration):
 * total, active and verified from writes to users, mfa from writes to the two factor tables.
 */
export async function selectUserTotals(db: DbHandle): Promise<UserTotalsRow> {
  const [row] = await db.query<UserTotalsRow>(Prisma.sql`
    SELECT coalesce(sum(total), 0)::int AS total, coalesce(sum(active), 0)::int AS active,
           coalesce(sum(verified), 0)::int AS verified, coalesce(sum(mfa), 0)::int AS mfa
      FROM user_counters`);
  return row ?? { total: 0, active: 0, verified: 0, mfa: 0 };
}

/**
 * The last `days` UTC days up to today (the database's clock, the one that stamps audit events), oldest first, each
 * day present: the shards of `daily_sign_in_counters` (kept by a trigger on audit_events) summed per day.
 */
export function selectDailySignIns(db: DbHandle, days: number): Promise<DailySignInsRow[]> {
  return db.query<DailySignInsRow>(Prisma.sql`
    WITH days AS (
      SELECT generate_series((now() AT TIME ZONE 'UTC')::date - ${days - 1}::int, (now() AT TIME ZONE 'UTC')::date, interval '1 day')::date AS day
    )
    SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
           coalesce(sum(c.sign_ups), 0)::int AS "signUps",
           coalesce(sum(c.sign_ins), 0)::int AS "signIns",
           coalesce(sum(c.failed_sign_ins), 0)::int AS "failedSignIns"
      FROM days d
      LEFT JOIN daily_sign_in_counters c ON c.day = d.day
     GROUP BY d.day
     ORDER BY d.day`);
}

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
 * The user totals: the 16 shards of `user_counters` (kept by triggers on users) summed, and the MFA users counted
 * from the two factor tables, which only hold people who set up a factor (a passkey, or a TOTP factor: confirmed or
 * not yet) — an index-only scan of `passkeys(user_id)` and a read of `mfa_totp_factors`, never of users.
 */
export async function selectUserTotals(db: DbHandle): Promise<UserTotalsRow> {
  const [row] = await db.query<UserTotalsRow>(Prisma.sql`
    SELECT (SELECT sum(total) FROM user_counters)::int AS total,
           (SELECT sum(active) FROM user_counters)::int AS active,
           (SELECT sum(verified) FROM user_counters)::int AS verified,
           (SELECT count(*) FROM (SELECT user_id FROM mfa_totp_factors WHERE confirmed_at IS NOT NULL
                                  UNION
                                  SELECT user_id FROM passkeys) AS mfa_users)::int AS mfa`);
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

import type { TStatsOverview } from '@ums/contract';
import { selectDailySignIns, selectUserTotals } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';

/** The dashboard's window: the last 30 UTC days, today included. */
export const STATS_DAYS = 30;

/**
 * The user totals and the daily sign-in figures, read from counters the write transactions keep (triggers of the
 * stats_counters migration): a few dozen rows whatever the number of users or audit events.
 */
export async function getStatsOverview({ db }: Pick<ServiceDeps, 'db'>): Promise<TStatsOverview> {
  const [totals, daily] = await Promise.all([selectUserTotals(db), selectDailySignIns(db, STATS_DAYS)]);
  return {
    users: {
      total: totals.total,
      active: totals.active,
      deactivated: totals.total - totals.active,
      verified: totals.verified,
      mfa: totals.mfa,
    },
    daily,
  };
}

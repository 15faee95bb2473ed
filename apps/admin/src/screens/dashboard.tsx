import { useQuery } from '@tanstack/react-query';
import { DailyChart } from '../components/daily-chart.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { StatTile } from '../components/stat-tile.tsx';
import { useTRPC } from '../trpc.ts';

/** The console's first page for users:read holders: the user base at a glance (stats.overview). */
export function DashboardScreen() {
  const trpc = useTRPC();
  const stats = useQuery(trpc.stats.overview.queryOptions());
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <ErrorBanner error={stats.error} />
      {stats.isPending && <p aria-live="polite">Loading figures…</p>}
      {stats.data && (
        <>
          <dl className="stat-grid" aria-label="User totals">
            <StatTile label="Users" value={stats.data.users.total} />
            <StatTile label="Active" value={stats.data.users.active} of={stats.data.users.total} />
            <StatTile label="Deactivated" value={stats.data.users.deactivated} of={stats.data.users.total} />
            <StatTile label="Email verified" value={stats.data.users.verified} of={stats.data.users.total} />
            <StatTile label="Two-factor on" value={stats.data.users.mfa} of={stats.data.users.total} />
          </dl>
          <p className="muted">Per UTC day, the last 30 days; shares are of all accounts.</p>
          <div className="chart-grid">
            <DailyChart title="Sign-ins" metric="signIns" days={stats.data.daily} color="#1d4ed8" />
            <DailyChart title="Failed sign-ins" metric="failedSignIns" days={stats.data.daily} color="#b91c1c" />
            <DailyChart title="Sign-ups" metric="signUps" days={stats.data.daily} color="#15803d" />
          </div>
        </>
      )}
    </section>
  );
}

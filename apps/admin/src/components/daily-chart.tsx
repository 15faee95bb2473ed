import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StatsOverview } from '../trpc.ts';

type Day = StatsOverview['daily'][number];
export type DailyMetric = 'signUps' | 'signIns' | 'failedSignIns';

interface DailyChartProps {
  title: string;
  metric: DailyMetric;
  days: Day[];
  color: string;
}

/** `MM-DD`: the year and month repeat on every bar of a 30-day window. */
const shortDate = (date: string) => date.slice(5);

/**
 * One figure per UTC day as bars. It fills its container's width (ResponsiveContainer), so the same chart reads at
 * 390 px and 1280 px; recharts thins the date ticks that would overlap.
 */
export function DailyChart({ title, metric, days, color }: DailyChartProps) {
  const total = days.reduce((sum, day) => sum + day[metric], 0);
  const id = `chart-${metric}`;
  return (
    <figure className="card chart" aria-labelledby={id} data-metric={metric}>
      <figcaption id={id}>
        <strong>{title}</strong> <span className="muted">{total.toLocaleString()} in 30 days</span>
      </figcaption>
      <div role="img" aria-label={`${title} per day for the last 30 days, ${total} in all`}>
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="date" tickFormatter={shortDate} interval="preserveStartEnd" minTickGap={12} fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip labelFormatter={(label) => String(label)} />
            <Bar dataKey={metric} name={title} fill={color} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

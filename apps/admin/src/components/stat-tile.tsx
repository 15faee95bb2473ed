interface StatTileProps {
  label: string;
  value: number;
  /** Shown as the share of this whole, e.g. verified of all accounts. */
  of?: number;
}

const percent = (part: number, whole: number) => (whole === 0 ? '0 %' : `${Math.round((part / whole) * 1000) / 10} %`);

/** One headline figure of the dashboard, with its share of a whole when given. */
export function StatTile({ label, value, of }: StatTileProps) {
  return (
    <div className="stat-tile">
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{value.toLocaleString()}</span>
        {of !== undefined && <span className="stat-share"> {percent(value, of)}</span>}
      </dd>
    </div>
  );
}

import type { ReactNode } from 'react';

export interface Column<Row> {
  /** The column's heading, and the cell's label where narrow screens stack the cells. */
  label: string;
  cell(row: Row): ReactNode;
}

interface ResultsTableProps<Row extends { id: string }> {
  /** For screen readers: what the rows are, and which page. */
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  /** The only row when there are none. */
  empty: string;
  /** True while the previous page stands in for the one being loaded. */
  busy: boolean;
}

/** One page of results, a row each; on a narrow screen each row becomes a labelled list. */
export function ResultsTable<Row extends { id: string }>({ caption, columns, rows, empty, busy }: ResultsTableProps<Row>) {
  return (
    <div className="table-wrap" aria-busy={busy}>
      <table className="responsive-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map(({ label }) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {columns.map(({ label, cell }) => (
                <td key={label} data-label={label}>
                  {cell(row)}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

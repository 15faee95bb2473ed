import { SEARCH_TERMS } from '../scenarios/search-terms.ts';
import { rotate, send } from './http.ts';
import { runLoad } from './load.ts';
import type { ChildServer } from './server-process.ts';
import type { BenchIdentity } from './tokens.ts';

export interface TermResult {
  term: string;
  kind: string;
  /** Users on the first page (at most 20). */
  found: number;
  p50: number;
  p95: number;
  requestsPerSecond: number;
}

const CONNECTIONS = 10;

/** The sweep on the service and on the bare handler (the same statements), one after the other. */
export interface SearchSweep {
  app: TermResult[];
  baseline: TermResult[];
}

/** One term on one server at 10 connections: its P50/P95 and how many users its first page holds. */
async function measureTerm(
  server: ChildServer,
  admins: readonly BenchIdentity[],
  term: string,
  kind: string,
  seconds: number,
): Promise<TermResult> {
  const admin = rotate(admins);
  const path = `/api/v1/users?${new URLSearchParams({ limit: '20', search: term }).toString()}`;
  const next = () => ({ method: 'GET' as const, path, headers: { authorization: admin().authorization } });
  const probe = await send(server.baseUrl, next());
  const items = (probe.body as { items?: unknown } | null)?.items;
  const run = await runLoad({
    baseUrl: server.baseUrl,
    connections: CONNECTIONS,
    durationSeconds: seconds,
    warmupSeconds: 0,
    next,
    settle: async () => {},
  });
  return {
    term,
    kind,
    found: Array.isArray(items) ? items.length : -1,
    p50: run.p50,
    p95: run.p95,
    requestsPerSecond: run.requestsPerSecond,
  };
}

/**
 * Each of the 20 search terms on its own at 10 connections, on the service and right after on the bare handler: a
 * rotation averages a slow term away, while the issue asks for the worst; pairing each term's two runs keeps the
 * machine's drift out of their ratio.
 */
export async function sweepSearchTerms(
  servers: { app: ChildServer; baseline: ChildServer },
  admins: readonly BenchIdentity[],
  seconds: number,
): Promise<SearchSweep> {
  const sweep: SearchSweep = { app: [], baseline: [] };
  for (const { term, kind } of SEARCH_TERMS) {
    sweep.app.push(await measureTerm(servers.app, admins, term, kind, seconds));
    sweep.baseline.push(await measureTerm(servers.baseline, admins, term, kind, seconds));
  }
  return sweep;
}

export const worstTerm = (results: readonly TermResult[]) =>
  results.reduce<TermResult | null>((worst, result) => (!worst || result.p95 > worst.p95 ? result : worst), null);

const ms = (value: number) =>
  Number.isNaN(value) ? '—' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

/** The markdown lines of the sweep: one row per term, the worst named below. */
export function searchSweepSection(sweep: SearchSweep | null, seconds: number): string[] {
  if (!sweep) return [];
  const rows = sweep.app.map((result) => {
    const bare = sweep.baseline.find((other) => other.term === result.term);
    return `| ${result.term} | ${result.kind} | ${result.found} | ${ms(result.p50)} | ${ms(result.p95)} | ${bare ? ms(bare.p95) : '—'} | ${bare ? `${(result.p95 / bare.p95).toFixed(2)}×` : '—'} |`;
  });
  const worst = worstTerm(sweep.app);
  const worstBare = worstTerm(sweep.baseline);
  return [
    '### Search, term by term',
    '',
    `Each term alone at ${CONNECTIONS} connections for ${seconds} s, on the service and right after on the bare handler sending the same statements.`,
    '',
    '| term | kind | on page 1 | P50 ms | P95 ms | bare P95 ms | of bare |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Worst term on the service: ${worst ? `'${worst.term}' (${worst.kind}), P95 ${ms(worst.p95)} ms` : '—'}; on the bare handler: ${worstBare ? `'${worstBare.term}', P95 ${ms(worstBare.p95)} ms` : '—'}.`,
    '',
  ];
}

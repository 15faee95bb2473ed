import { describeAnswer, isSuccess, rotate, send } from '../lib/http.ts';
import type { ChildServer } from '../lib/server-process.ts';
import type { BenchIdentity } from '../lib/tokens.ts';
import { readyIfAnswers } from './probe.ts';
import { SEARCH_TERMS } from './search-terms.ts';
import type { BenchContext, Preparation, Scenario } from './types.ts';

const PAGE = 20;
const DEEP_ROWS = 90_000;
const WALK_PAGE = 100;
const WALK_TIME_LIMIT_MS = 120_000;

// Mixed selectivity: common, rare and absent terms (search-terms.ts).
const TERMS = SEARCH_TERMS.map(({ term }) => term);

const listPath = (query: Record<string, string>) => `/api/v1/users?${new URLSearchParams(query).toString()}`;

/** A users.list load against one of the two servers (both answer the same paths). */
type ListLoad = (ctx: BenchContext, server: ChildServer) => Promise<Preparation>;

/** users.list with the next query string each time, signed in as the next admin. */
function adminListLoad(
  server: ChildServer,
  admin: () => BenchIdentity,
  query: () => Record<string, string>,
  note?: string,
): Promise<Preparation> {
  return readyIfAnswers(
    server,
    () => ({ method: 'GET', path: listPath(query()), headers: { authorization: admin().authorization } }),
    note,
  );
}

const firstPageLoad: ListLoad = ({ identities }, server) =>
  adminListLoad(server, rotate(identities.admins), () => ({ limit: String(PAGE) }));

const searchLoad: ListLoad = ({ identities }, server) => {
  const term = rotate(TERMS);
  return adminListLoad(
    server,
    rotate(identities.admins),
    () => ({ limit: String(PAGE), search: term() }),
    `${TERMS.length} terms in rotation: ${TERMS.join(', ')}`,
  );
};

/**
 * One users.list load as two scenarios: against the service, then against the baseline server's bare handler
 * sending the same statements (see bench/baseline-server.ts), the floor this machine puts under the latency targets.
 */
function onBothServers(id: string, title: string, load: ListLoad): Scenario[] {
  return [
    { id: `list.${id}`, group: 'list', title: `users.list ${title}`, target: 'app', prepare: (ctx) => load(ctx, ctx.app) },
    {
      id: `baseline.list.${id}`,
      group: 'list',
      title: `baseline: Fastify + pg, users.list ${title}`,
      target: 'baseline',
      prepare: (ctx) => load(ctx, ctx.baseline),
    },
  ];
}

// The walk is done once per run; the service and the bare handler are then sent the same deep cursor.
const deepCursors = new WeakMap<BenchContext, Promise<{ cursor: string; rows: number } | { reason: string }>>();

const deepPageLoad: ListLoad = (ctx, server) => {
  const admin = rotate(ctx.identities.admins);
  let walk = deepCursors.get(ctx);
  if (!walk) {
    walk = walkToDepth(ctx.app, admin().authorization, ctx.log);
    deepCursors.set(ctx, walk);
  }
  return walk.then((deep) =>
    'reason' in deep
      ? { ready: false, reason: deep.reason }
      : adminListLoad(
          server,
          admin,
          () => ({ limit: String(PAGE), cursor: deep.cursor }),
          deep.rows === DEEP_ROWS ? undefined : `cursor after ${deep.rows.toLocaleString('en')} rows (the walk stopped early)`,
        ),
  );
};

export const usersListScenarios: Scenario[] = [
  ...onBothServers('page1', `page 1 (limit ${PAGE})`, firstPageLoad),
  ...onBothServers('deep', `${DEEP_ROWS.toLocaleString('en')} rows deep`, deepPageLoad),
  ...onBothServers('search', 'search', searchLoad),
];

/**
 * The cursor format belongs to the users service, so the harness does not forge one: it pages through the default
 * order with the API itself, 100 rows at a time, and keeps the cursor that points 90,000 rows deep.
 */
async function walkToDepth(
  app: ChildServer,
  authorization: string,
  log: (line: string) => void,
): Promise<{ cursor: string; rows: number } | { reason: string }> {
  const started = performance.now();
  let cursor: string | null = null;
  let rows = 0;
  while (rows < DEEP_ROWS && performance.now() - started < WALK_TIME_LIMIT_MS) {
    const query: Record<string, string> = { limit: String(WALK_PAGE), ...(cursor ? { cursor } : {}) };
    const answer = await send(app.baseUrl, { method: 'GET', path: listPath(query), headers: { authorization } });
    if (!isSuccess(answer.status)) return { reason: describeAnswer(answer) };
    const page = answer.body as { items?: unknown; nextCursor?: unknown } | null;
    const count = Array.isArray(page?.items) ? page.items.length : 0;
    const nextCursor = typeof page?.nextCursor === 'string' ? page.nextCursor : null;
    if (count === 0 || !nextCursor) break;
    rows += count;
    cursor = nextCursor;
  }
  log(
    `  walked ${rows.toLocaleString('en')} rows of users.list in ${((performance.now() - started) / 1000).toFixed(1)} s for the deep cursor`,
  );
  return cursor ? { cursor, rows } : { reason: 'users.list returned no next cursor' };
}

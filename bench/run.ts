// `pnpm bench`: a fresh PostgreSQL database with 100,000 users and 1,000,000 audit events, the real server and a
// bare baseline as child processes, autocannon at 10/100/500 connections per scenario, a table on stdout and in
// docs/benchmarks.md. The database is dropped at the end, also on failure or Ctrl-C.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { hashPassword } from '@ums/server/src/modules/auth/passwords.ts';
import { freePort } from '../test/support/free-port.ts';
import { createBenchDatabase, withClient } from './lib/database.ts';
import { describeEnvironment, repoRoot } from './lib/environment.ts';
import { rotate, send } from './lib/http.ts';
import { type LoadResult, type RequestSpec, runLoad } from './lib/load.ts';
import { parseOptions } from './lib/options.ts';
import { type HashCost, measureHashCost } from './lib/password-hash.ts';
import {
  type BenchReport,
  DRIFT_PROBE_SECONDS,
  driftTable,
  renderMarkdown,
  resultsTable,
  type ScenarioOutcome,
  serverErrorSummary,
  targetsTable,
  writeBenchmarksDoc,
} from './lib/report.ts';
import { type SearchSweep, sweepSearchTerms, worstTerm } from './lib/search-sweep.ts';
import { BENCH_PASSWORD, prepareSchema, seedBulk, vacuumAnalyze } from './lib/seed.ts';
import { seedSettings } from './lib/seed-settings.ts';
import { type ChildServer, startServer } from './lib/server-process.ts';
import { planSettingsBatch } from './lib/settings-catalog.ts';
import { startShippedServer } from './lib/shipped-server.ts';
import { type BenchIdentities, createJwtSecret, createTokenMinter, loadIdentities } from './lib/tokens.ts';
import { scenarios } from './scenarios/index.ts';
import type { BenchContext } from './scenarios/types.ts';

const DB_POOL_SIZE = '10';
const PROFILE_DIR = join(repoRoot, 'bench/profiles');
const SETTLE_TIMEOUT_MS = 20_000;
// Settling, reading RSS, and the report after the last run.
const RUN_OVERHEAD_SECONDS = 3;

const log = (line: string) => console.log(line);
const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

// Undone in reverse order, once, whether the run ends, fails or is interrupted.
const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;
// Once interrupted, the cleanup cuts connections mid-query: the errors that follow are expected, not news.
let interrupted = false;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const undo of cleanups.reverse()) {
      try {
        await undo();
      } catch (error) {
        console.error('cleanup:', error instanceof Error ? error.message : error);
      }
    }
  })());
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the servers and dropping the database…`);
    void cleanUp().finally(() => process.exit(130));
  });
}
// `pnpm bench | head` closes stdout early: keep going quietly rather than die before the cleanup.
process.stdout.on('error', () => {});
process.once('uncaughtException', (error) => {
  if (!interrupted) console.error('bench failed:', error);
  void cleanUp().finally(() => process.exit(1));
});

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const startedAt = new Date();
  const loadAtStart = loadavg()[0] ?? 0;
  const command = ['pnpm bench', ...process.argv.slice(2).filter((arg) => arg !== '--')].join(' ');

  const database = await createBenchDatabase();
  cleanups.push(async () => {
    if (options.keepDatabase) return log(`kept database ${database.name}: ${database.url}`);
    await database.drop();
    log(`dropped database ${database.name}`);
  });
  log(`database ${database.name}`);

  let phase = performance.now();
  await prepareSchema(database.url);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const secret = createJwtSecret();
  const mint = createTokenMinter(secret);
  const dataset: string[] = [];

  const { environment, identities } = await withClient(database.url, async (client) => {
    log(`migrated and seeded the catalog: ${elapsed(phase)}; bulk seeding…`);
    phase = performance.now();
    await seedBulk(client, { users: options.users, auditEvents: options.auditEvents, passwordHash, log });
    dataset.push(
      `${options.users.toLocaleString('en')} users (1 in 1,000 admin, 1 in 50 deactivated; one argon2id hash shared by all) with one session each`,
      `${options.auditEvents.toLocaleString('en')} audit events over a year`,
    );
    return { environment: await describeEnvironment(client), identities: await loadIdentities(client, mint) };
  });

  let hashCost: HashCost | null = null;
  if (options.groups.has('hash') || options.groups.has('login')) {
    log('measuring the bare argon2id hash…');
    hashCost = await measureHashCost(options.quick ? 1 : 3);
  }

  const serverEnv = { DATABASE_URL: database.url, JWT_SECRET: secret, DB_POOL_SIZE };
  if (options.profile) mkdirSync(PROFILE_DIR, { recursive: true });
  const app = await startShippedServer({
    databaseUrl: database.url,
    jwtSecret: secret,
    env: { DB_POOL_SIZE, LOGIN_LOCKOUT: '1000' },
    nodeFlags: options.profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  });
  cleanups.push(() => app.stop());
  const baseline = await startServer({
    name: 'baseline',
    cwd: repoRoot,
    args: ['--import', 'tsx', 'bench/baseline-server.ts'],
    port: await freePort(),
    env: serverEnv,
  });
  cleanups.push(() => baseline.stop());
  log(`server pid ${app.pid} at ${app.baseUrl}, baseline pid ${baseline.pid} at ${baseline.baseUrl}`);

  const [firstUser] = identities.users;
  const settings = firstUser ? await planSettingsBatch(app, firstUser) : { unavailable: 'no users' };
  await withClient(database.url, async (client) => {
    phase = performance.now();
    const seeded = await seedSettings(client, app, identities, settings);
    dataset.push(seeded);
    log(`  ${seeded}: ${elapsed(phase)}`);
    await vacuumAnalyze(client);
    log(`vacuumed, analysed and checkpointed: ${elapsed(phase)}`);
  });
  if (!options.quick) {
    // The servers have only just started: let the JIT see the hot path before the first scenario is measured.
    const next = meRequests(identities);
    for (const server of [baseline, app]) {
      await runLoad({ baseUrl: server.baseUrl, connections: 10, durationSeconds: 3, warmupSeconds: 0, next, settle: async () => {} });
      await settle(server, next);
    }
  }
  log(`ready after ${elapsed(started)}\n`);

  const context: BenchContext = { app, baseline, identities, settings, log };
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of scenarios) {
    if (scenario.group !== 'baseline' && !options.groups.has(scenario.group)) continue;
    const server = scenario.target === 'app' ? app : baseline;
    const preparation = await scenario.prepare(context);
    if (!preparation.ready) {
      log(`${scenario.title}: not available (${preparation.reason})`);
      outcomes.push({ scenario, runs: [], skipped: [], serverErrors: new Map(), unavailable: preparation.reason });
      continue;
    }
    const baselineBefore = scenario.target === 'app' ? await probeBaseline(baseline, identities, options.quick) : undefined;
    server.takeErrors();
    const outcome: ScenarioOutcome = {
      ...(baselineBefore ? { baselineBefore } : {}),
      scenario,
      runs: [],
      skipped: [],
      serverErrors: new Map(),
      ...(preparation.note ? { note: preparation.note } : {}),
    };
    outcomes.push(outcome);
    for (const connections of options.connections) {
      const runEndsAt = (performance.now() - started) / 1000 + options.warmupSeconds + options.durationSeconds + RUN_OVERHEAD_SECONDS;
      if (runEndsAt > options.budgetSeconds) {
        log(`${scenario.title} @${connections}: skipped, the ${options.budgetSeconds} s budget is spent`);
        outcome.skipped.push(connections);
        continue;
      }
      server.resetPeakRss();
      const result = await runLoad({
        baseUrl: server.baseUrl,
        connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        next: preparation.next,
        settle: () => settle(server, preparation.next),
      });
      outcome.runs.push({ ...result, peakRss: server.peakRss() });
      log(
        `${scenario.title} @${connections}: ${Math.round(result.requestsPerSecond)} req/s, P95 ${result.p95.toFixed(2)} ms, ` +
          `non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
      await settle(server, preparation.next);
    }
    outcome.serverErrors = server.takeErrors();
  }
  const searchTerms = options.groups.has('list') ? await sweepBothServers(context, options.quick ? 1 : 2) : null;

  await app.stop();
  const profiles = options.profile ? newFiles(PROFILE_DIR, startedAt) : [];

  const report: BenchReport = {
    options,
    command,
    startedAt,
    seconds: (performance.now() - started) / 1000,
    environment,
    dataset,
    loadAverage: [loadAtStart, loadavg()[0] ?? 0],
    hashCost,
    outcomes,
    searchTerms,
    profiles,
  };
  const errors = serverErrorSummary(report);
  const drift = driftTable(report);
  log(
    `\n${resultsTable(report)}\n\n${drift ? `${drift}\n\n` : ''}${targetsTable(report)}\n${errors.length > 0 ? `\nserver errors:\n${errors.join('\n')}\n` : ''}`,
  );
  const doc = join(repoRoot, 'docs/benchmarks.md');
  writeBenchmarksDoc(doc, renderMarkdown(report));
  log(`written to ${relative(repoRoot, doc)}`);
  // Node names them CPU.<date>.<time>.<pid>.<thread>.<seq>: thread 0 is the main thread; others are tsx's loader worker.
  for (const file of profiles) log(`CPU profile: ${file} (open in Chrome DevTools › Performance, or speedscope)`);
}

/** The 20 search terms one by one, on the service and on the bare handler. */
async function sweepBothServers({ app, baseline, identities }: BenchContext, seconds: number): Promise<SearchSweep> {
  log('search terms one by one…');
  const sweep = await sweepSearchTerms({ app, baseline }, identities.admins, seconds);
  const worst = worstTerm(sweep.app);
  if (worst) log(`  worst term on the service: '${worst.term}' P95 ${worst.p95.toFixed(2)} ms`);
  return sweep;
}

/** `GET /api/v1/users/me`, each time as the next of the 1,000 bench users. */
function meRequests(identities: BenchIdentities): () => RequestSpec {
  const user = rotate(identities.users);
  return () => ({ method: 'GET', path: '/api/v1/users/me', headers: { authorization: user().authorization } });
}

/** The baseline's `me` at 10 connections for a moment: how fast the machine is right now (see driftTable). */
async function probeBaseline(baseline: ChildServer, identities: BenchIdentities, quick: boolean): Promise<LoadResult> {
  const next = meRequests(identities);
  const result = await runLoad({
    baseUrl: baseline.baseUrl,
    connections: 10,
    durationSeconds: quick ? 1 : DRIFT_PROBE_SECONDS,
    warmupSeconds: 0,
    next,
    settle: async () => {},
  });
  await settle(baseline, next);
  log(`  baseline me @10 just before: ${Math.round(result.requestsPerSecond)} req/s, P95 ${result.p95.toFixed(2)} ms`);
  return result;
}

/**
 * Waits until the server has worked off what the last run left queued (a login backlog keeps the argon2 pool busy
 * for seconds): one more request of the same kind answers only after the queue ahead of it.
 */
async function settle(server: ChildServer, next: () => RequestSpec): Promise<void> {
  try {
    await send(server.baseUrl, next(), SETTLE_TIMEOUT_MS);
  } catch {
    // a timeout here shows up in the next run's figures
  }
}

function newFiles(dir: string, since: Date): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).mtime >= since)
    .map((file) => relative(repoRoot, file))
    .sort();
}

try {
  await main();
  await cleanUp();
  process.exit(0);
} catch (error) {
  if (!interrupted) console.error('bench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  await cleanUp();
  process.exit(1);
}

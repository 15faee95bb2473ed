// `pnpm bench:profile [-- --users N --seconds S --rounds R]`: where the time of
// `GET /api/v1/users/me` goes in the server as shipped. First the service and the bare baseline are measured in
// alternating rounds (the ratio is what counts on a shared machine), then the service runs again with
// `--cpu-prof` under the same load and the profile is summarised: self time, total time, and self time by origin.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '@ums/server/src/modules/auth/passwords.ts';
import { freePort } from '../test/support/free-port.ts';
import { type CostLine, summariseProfile } from './lib/cpu-profile-summary.ts';
import { createBenchDatabase, withClient } from './lib/database.ts';
import { repoRoot } from './lib/environment.ts';
import { rotate } from './lib/http.ts';
import { type LoadResult, runLoad } from './lib/load.ts';
import { BENCH_PASSWORD, prepareSchema, seedBulk, vacuumAnalyze } from './lib/seed.ts';
import { type ChildServer, startServer } from './lib/server-process.ts';
import { startShippedServer } from './lib/shipped-server.ts';
import { type BenchIdentities, createJwtSecret, createTokenMinter, loadIdentities } from './lib/tokens.ts';

const { values } = parseArgs({
  // `pnpm bench:profile -- --users N` hands the script a literal `--`.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    users: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
  },
});
const USERS = Number(values.users);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const PROFILE_DIR = join(repoRoot, 'bench/profiles');
const log = (line: string) => console.log(line);

const meLoad = (server: ChildServer, identities: BenchIdentities, connections: number, seconds = SECONDS): Promise<LoadResult> => {
  const user = rotate(identities.users);
  const next = () => ({ method: 'GET' as const, path: '/api/v1/users/me', headers: { authorization: user().authorization } });
  return runLoad({ baseUrl: server.baseUrl, connections, durationSeconds: seconds, warmupSeconds: 0, next, settle: async () => {} });
};

// utime + stime of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
const CLOCK_TICKS_PER_SECOND = 100;
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
};

/** The load, and the server's own CPU time per response during it: unlike req/s, barely moved by what else runs. */
async function measured(server: ChildServer, identities: BenchIdentities, connections: number) {
  const before = cpuSeconds(server.pid);
  const result = await meLoad(server, identities, connections);
  return { result, cpuMicrosPerRequest: ((cpuSeconds(server.pid) - before) * 1e6) / Math.max(1, result.responses) };
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const lines = (costs: CostLine[]) => costs.map(({ name, share }) => `| ${percent(share)} | \`${name.replaceAll('|', '\\|')}\` |`);

const database = await createBenchDatabase();
const servers: ChildServer[] = [];
try {
  await prepareSchema(database.url);
  const secret = createJwtSecret();
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const identities = await withClient(database.url, async (client) => {
    await seedBulk(client, { users: USERS, auditEvents: 0, passwordHash, log });
    await vacuumAnalyze(client);
    return loadIdentities(client, createTokenMinter(secret), Math.min(1000, Math.floor(USERS / 100)));
  });
  const env = { DATABASE_URL: database.url, JWT_SECRET: secret, DB_POOL_SIZE: '10' };
  const baseline = await startServer({
    name: 'baseline',
    cwd: repoRoot,
    args: ['--import', 'tsx', 'bench/baseline-server.ts'],
    port: await freePort(),
    env,
  });
  servers.push(baseline);
  let app = await startShippedServer({ databaseUrl: database.url, jwtSecret: secret, env: { DB_POOL_SIZE: '10' } });
  servers.push(app);
  for (const server of [baseline, app]) await meLoad(server, identities, 10, 3);

  // Alternating rounds, the order flipped each round: the machine's drift hits both alike.
  const ratios: number[] = [];
  const p99Ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [baseline, app] : [app, baseline];
    const at100 = new Map<ChildServer, Awaited<ReturnType<typeof measured>>>();
    const at10 = new Map<ChildServer, LoadResult>();
    for (const server of order) at100.set(server, await measured(server, identities, 100));
    for (const server of order) at10.set(server, await meLoad(server, identities, 10));
    const [b100, a100, b10, a10] = [at100.get(baseline), at100.get(app), at10.get(baseline), at10.get(app)];
    if (!b100 || !a100 || !b10 || !a10) throw new Error('a round went missing');
    ratios.push(a100.result.requestsPerSecond / b100.result.requestsPerSecond);
    p99Ratios.push(a10.p99 / b10.p99);
    cpuRatios.push(b100.cpuMicrosPerRequest / a100.cpuMicrosPerRequest);
    log(
      `round ${round + 1}: @100 service ${Math.round(a100.result.requestsPerSecond)} / bare ${Math.round(b100.result.requestsPerSecond)} req/s = ${percent(ratios.at(-1) ?? 0)}; ` +
        `CPU per request ${Math.round(a100.cpuMicrosPerRequest)} / ${Math.round(b100.cpuMicrosPerRequest)} µs (bare/service ${percent(cpuRatios.at(-1) ?? 0)}); ` +
        `@10 P99 ${a10.p99.toFixed(2)} / ${b10.p99.toFixed(2)} ms = ${(p99Ratios.at(-1) ?? 0).toFixed(2)}×; errors ${a100.result.errors + a10.errors}, non-2xx ${a100.result.non2xx + a10.non2xx}`,
    );
  }
  log(
    `\nmedian of ${ROUNDS} rounds: me @100 = ${percent(median(ratios))} of the bare handler's req/s; the bare handler's CPU per request = ` +
      `${percent(median(cpuRatios))} of the service's; P99 @10 = ${median(p99Ratios).toFixed(2)}× the bare handler's\n`,
  );

  await app.stop();
  servers.pop();
  mkdirSync(PROFILE_DIR, { recursive: true });
  const since = Date.now();
  app = await startShippedServer({
    databaseUrl: database.url,
    jwtSecret: secret,
    env: { DB_POOL_SIZE: '10' },
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`],
  });
  servers.push(app);
  const pid = app.pid;
  await meLoad(app, identities, 100, 2 * SECONDS);
  await app.stop();
  servers.pop();
  // Node names them CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
  const file = readdirSync(PROFILE_DIR)
    .filter((name) => name.includes(`.${pid}.0.`) && statSync(join(PROFILE_DIR, name)).mtimeMs >= since)
    .map((name) => join(PROFILE_DIR, name))[0];
  if (!file) throw new Error(`no profile of pid ${pid} in ${PROFILE_DIR}`);
  const summary = summariseProfile(file);
  log(`profile ${file}: ${summary.samples} samples over ${summary.seconds.toFixed(1)} s (start-up included)\n`);
  log(['Self time by origin:', '', '| share | origin |', '|---:|---|', ...lines(summary.byOrigin)].join('\n'));
  log(['', 'Self time, top functions:', '', '| share | function |', '|---:|---|', ...lines(summary.self)].join('\n'));
  log(['', 'Total time (on the stack), top functions:', '', '| share | function |', '|---:|---|', ...lines(summary.total)].join('\n'));
} finally {
  for (const server of servers.reverse()) await server.stop();
  await database.drop();
}
process.exit(0);

// `pnpm bench:export`: the export of one person with 100,000 audit events (BENCH_EXPORT_EVENTS), against the server
// as shipped (compiled, production flags and environment of apps/server/bin/start) on a fresh PostgreSQL database:
// time to the first byte, total time, size, and the server's peak RSS during the export, over REST (streamed) and
// over tRPC (one value built in memory). Writes its table into docs/benchmarks.md between the export markers.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { productionLaunch } from '../apps/server/scripts/production-launch.ts';
import { freePort } from '../test/support/free-port.ts';
import { createBenchDatabase, withClient } from './lib/database.ts';
import { repoRoot } from './lib/environment.ts';
import { type ChildServer, startServer } from './lib/server-process.ts';

const EVENTS = Number(process.env.BENCH_EXPORT_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 3);
/** Within tRPC's 8 MiB budget (~19,000 events of this shape). */
const MODEST_EVENTS = 15_000;
const PASSWORD = 'bench-password-do-not-use';
const DOC = resolve(repoRoot, 'docs/benchmarks.md');
const BEGIN = '<!-- bench:export begin -->';
const END = '<!-- bench:export end -->';

interface Measured {
  ok: boolean;
  status: number;
  /** The error's `reason` when it was refused. */
  reason: string;
  firstByteMs: number;
  totalMs: number;
  bytes: number;
  events: number;
  peakRssMb: number;
}

const mb = (bytes: number | null) => (bytes === null ? Number.NaN : bytes / 1024 / 1024);

/** One export: the body read as it arrives (never held whole here), its events counted from the parsed document. */
async function measure(server: ChildServer, url: string, token: string, eventsOf: (body: unknown) => number): Promise<Measured> {
  server.resetPeakRss();
  const started = performance.now();
  let firstByteMs = Number.NaN;
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let status = 0;
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    status = res.status;
    for await (const chunk of res.body ?? []) {
      if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - started;
      parts.push(chunk);
      bytes += chunk.length;
    }
  } catch (error) {
    // A dropped connection (the server died, or cut the body short): reported, not thrown.
    console.error(`${url}: ${String(error)}\n${server.output().slice(-1500)}`);
    status = -1;
  }
  const totalMs = performance.now() - started;
  const peakRssMb = mb(server.peakRss());
  let events = 0;
  if (status === 200) events = eventsOf(JSON.parse(Buffer.concat(parts).toString('utf8')));
  const reason = status === 200 || status === -1 ? '' : (JSON.parse(Buffer.concat(parts).toString('utf8')).error?.data?.reason ?? '');
  return { ok: status === 200, status, reason, firstByteMs, totalMs, bytes, events, peakRssMb };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main() {
  const database = await createBenchDatabase();
  const launch = productionLaunch();
  const server = await startServer({
    name: 'server',
    cwd: repoRoot,
    args: launch.args,
    port: await freePort(),
    env: {
      ...launch.env,
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_AUTH: '0',
      PUBLIC_URL: 'http://127.0.0.1',
    },
  });
  try {
    const registerUser = async (email: string) => {
      const res = await fetch(`${server.baseUrl}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD, fullName: 'Long History' }),
      });
      if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
      return (await res.json()) as { user: { id: string }; accessToken: string };
    };
    const long = await registerUser('exported@bench.example');
    // A history within tRPC's budget, to compare the two transports on the same document.
    const modest = await registerUser('modest@bench.example');

    // One statement per user: events 5 minutes apart, a third made by the person about others, a third about them by
    // others, a third about themselves, with the field changes, address and user agent a real request leaves.
    const seedStarted = performance.now();
    await withClient(database.url, async (client) => {
      for (const [id, count] of [
        [long.user.id, EVENTS],
        [modest.user.id, MODEST_EVENTS],
      ] as const) {
        await client.query(
          `INSERT INTO audit_events (id, at, actor_id, action, target_type, target_id, changes, ip, user_agent, request_id)
           SELECT gen_random_uuid(), now() - make_interval(secs => g * 300.0),
                  CASE WHEN g % 3 = 1 THEN gen_random_uuid() ELSE $1::uuid END, 'user.updated', 'user',
                  CASE WHEN g % 3 = 0 THEN gen_random_uuid()::text ELSE $1::text END,
                  jsonb_build_object('fullName', jsonb_build_object('from', 'Name ' || g, 'to', 'Name ' || (g + 1))),
                  '203.0.113.' || (g % 250), 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0',
                  gen_random_uuid()::text
             FROM generate_series(1, $2::int) AS g`,
          [id, count],
        );
      }
      await client.query('VACUUM ANALYZE audit_events');
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(`seeded ${(EVENTS + MODEST_EVENTS).toLocaleString('en')} audit events in ${seedSeconds.toFixed(1)} s`);

    // Reset, the high-water mark is the current RSS.
    server.resetPeakRss();
    const idleRssMb = mb(server.peakRss());
    const restUrl = `${server.baseUrl}/api/v1/users/me/export`;
    const trpcUrl = `${server.baseUrl}/trpc/me.export`;
    const { accessToken } = long;
    const restEvents = (body: unknown) => (body as { auditEvents: unknown[] }).auditEvents.length;
    const trpcEvents = (body: unknown) => (body as { result: { data: { auditEvents: unknown[] } } }).result.data.auditEvents.length;
    // Warm-up: the first call compiles the paths.
    await measure(server, restUrl, accessToken, restEvents);
    server.resetPeakRss();
    const rest: Measured[] = [];
    const trpc: Measured[] = [];
    for (let run = 0; run < RUNS; run++) {
      rest.push(await measure(server, restUrl, accessToken, restEvents));
      trpc.push(await measure(server, trpcUrl, accessToken, trpcEvents));
    }
    const modestRest: Measured[] = [];
    const modestTrpc: Measured[] = [];
    for (let run = 0; run < RUNS; run++) {
      modestRest.push(await measure(server, restUrl, modest.accessToken, restEvents));
      modestTrpc.push(await measure(server, trpcUrl, modest.accessToken, trpcEvents));
    }
    const errors = [...server.takeErrors().entries()].map(([message, n]) => `${n}× ${message}`);

    const row = (name: string, runs: Measured[]) => {
      const ok = runs.filter((run) => run.ok);
      const failed = runs.length - ok.length;
      if (ok.length === 0) {
        const answers = [...new Set(runs.map((r) => (r.status === -1 ? 'connection dropped' : `${r.status} ${r.reason}`.trim())))];
        return `| ${name} | refused: ${answers.join(', ')} | — | — | ${(median(runs.map((r) => r.totalMs)) / 1000).toFixed(2)} | ${median(runs.map((r) => r.peakRssMb)).toFixed(0)} | — |`;
      }
      return `| ${name} | ${median(ok.map((r) => r.events)).toLocaleString('en')} | ${(median(ok.map((r) => r.bytes)) / 1e6).toFixed(1)} | ${median(ok.map((r) => r.firstByteMs)).toFixed(0)} | ${(median(ok.map((r) => r.totalMs)) / 1000).toFixed(2)} | ${median(ok.map((r) => r.peakRssMb)).toFixed(0)} | ${failed} |`;
    };
    const table = [
      `Export of one user with ${EVENTS.toLocaleString('en')} audit events, and one with ${MODEST_EVENTS.toLocaleString('en')} (seeded in ${seedSeconds.toFixed(1)} s with one \`INSERT … SELECT generate_series\` each),`,
      `the compiled server as shipped (\`apps/server/bin/start\`'s flags: \`--max-old-space-size=160\`), PostgreSQL, median of ${RUNS} runs`,
      `after one warm-up; server RSS right before the first export ${idleRssMb.toFixed(0)} MB. Peak RSS is VmHWM, reset before each export.`,
      `Taken ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${process.env.BENCH_MACHINE ?? 'the 2-core development machine, shared with other work'}.`,
      '',
      '| transport | events | MB | first byte ms | total s | server peak RSS MB | failed runs |',
      '|---|---|---|---|---|---|---|',
      row('REST `GET /users/me/export` (streamed)', rest),
      row('tRPC `me.export` (one value in memory)', trpc),
      row(`REST, a user with ${MODEST_EVENTS.toLocaleString('en')} events`, modestRest),
      row(`tRPC, a user with ${MODEST_EVENTS.toLocaleString('en')} events`, modestTrpc),
      '',
      errors.length > 0
        ? `Server warnings and errors during the runs: ${errors.join('; ')}.`
        : 'No server warning or error during the runs.',
    ].join('\n');
    console.log(table);

    const doc = readFileSync(DOC, 'utf8');
    const section = `${BEGIN}\n${table}\n${END}`;
    const updated = doc.includes(BEGIN)
      ? doc.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), section)
      : `${doc.trimEnd()}\n\n## Export (\`pnpm bench:export\`)\n\n${section}\n`;
    writeFileSync(DOC, updated);
    console.log(`wrote the table into ${DOC}`);
  } finally {
    await server.stop();
    await database.drop();
  }
}

await main();

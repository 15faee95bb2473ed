// `pnpm bench:webhooks`: what webhooks cost. On a fresh PostgreSQL database with a few thousand users, the real
// server (compiled, production flags) and a receiver on loopback that answers 204 at once:
//   1. PUT /api/v1/users/me/settings under load with no webhook endpoint, then with one subscribed to every event
//      (each write then also writes one outbox row in its own statement): the added cost of an event to its write;
//   2. the events those writes emitted, delivered while they were written; then a backlog of 5,000 queued at once
//      and drained through the outbox to the receiver: events per second delivered.
// Prints a table for docs/benchmarks.md; the database is dropped at the end.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashPassword } from '@ums/server/src/modules/auth/passwords.ts';
import { createBenchDatabase, withClient } from './lib/database.ts';
import { alternatePerUser, json, send } from './lib/http.ts';
import { type LoadResult, runLoad } from './lib/load.ts';
import { BENCH_PASSWORD, prepareSchema, seedBulk, vacuumAnalyze } from './lib/seed.ts';
import { planSettingsBatch, settingsBody } from './lib/settings-catalog.ts';
import { startShippedServer } from './lib/shipped-server.ts';
import { createJwtSecret, createTokenMinter, loadIdentities } from './lib/tokens.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const log = (line: string) => console.log(line);

async function main() {
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const database = await createBenchDatabase();
  const secret = createJwtSecret();
  try {
    await prepareSchema(database.url);
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const identities = await withClient(database.url, async (client) => {
      await seedBulk(client, { users: 5000, auditEvents: 0, passwordHash, log });
      await vacuumAnalyze(client);
      return loadIdentities(client, createTokenMinter(secret), 50);
    });
    const app = await startShippedServer({ databaseUrl: database.url, jwtSecret: secret, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      const [first] = identities.users;
      const admin = identities.admins[0];
      if (!first || !admin) throw new Error('no users seeded');
      const plan = await planSettingsBatch(app, first, 5);
      if ('unavailable' in plan) throw new Error(plan.unavailable);
      const next = alternatePerUser(identities.users, [settingsBody(plan, 0), settingsBody(plan, 1)]);
      const load = () =>
        runLoad({
          baseUrl: app.baseUrl,
          connections: CONNECTIONS,
          durationSeconds: SECONDS,
          warmupSeconds: 2,
          next: () => {
            const [user, body] = next();
            return { method: 'PUT', path: '/api/v1/users/me/settings', headers: json(user.authorization), body };
          },
          settle: () => new Promise((resolve) => setTimeout(resolve, 500)),
        });

      const without = await load();
      log(row('settings PUT, no endpoint', without));

      const created = await send(app.baseUrl, {
        method: 'POST',
        path: '/api/v1/webhooks',
        headers: json(admin.authorization),
        body: JSON.stringify({ url: receiverUrl, events: ['*'] }),
      });
      if (created.status !== 201) throw new Error(`creating the endpoint: ${created.status} ${created.text}`);
      const startedAt = performance.now();
      const withOne = await load();
      log(row('settings PUT, one endpoint', withOne));

      const emitted = await withClient(database.url, async (client) => {
        const { rows } = await client.query<{ count: string }>("SELECT count(*) FROM outbox WHERE kind = 'webhook'");
        return Number(rows[0]?.count ?? 0);
      });
      while (received < emitted) await new Promise((resolve) => setTimeout(resolve, 50));
      const seconds = (performance.now() - startedAt) / 1000;
      log(`events delivered: ${emitted} in ${seconds.toFixed(1)} s from the first write = ${(emitted / seconds).toFixed(0)} events/s`);
      log(
        `added cost per write: p50 ${(withOne.p50 - without.p50).toFixed(2)} ms, throughput ${(((withOne.requestsPerSecond - without.requestsPerSecond) / without.requestsPerSecond) * 100).toFixed(1)} %`,
      );

      // Delivery throughput alone: a backlog of events about distinct users (no ordering wait), queued at once.
      const endpointId = JSON.parse(created.text).id as string;
      const backlog = 5000;
      received = 0;
      await withClient(database.url, (client) =>
        client.query(
          `INSERT INTO outbox (id, kind, payload, order_key)
           SELECT gen_random_uuid(), 'webhook',
                  jsonb_build_object('endpointId', $1::text, 'eventId', gen_random_uuid(), 'type', 'user.updated',
                                     'subject', 'user:' || i, 'body', '{"type":"user.updated","data":{}}'),
                  $1::text || ':user:' || i
             FROM generate_series(1, $2::int) i`,
          [endpointId, backlog],
        ),
      );
      const drainStart = performance.now();
      while (received < backlog) await new Promise((resolve) => setTimeout(resolve, 20));
      const drainSeconds = (performance.now() - drainStart) / 1000;
      log(`backlog of ${backlog} events drained in ${drainSeconds.toFixed(1)} s = ${(backlog / drainSeconds).toFixed(0)} events/s`);
    } finally {
      await app.stop();
    }
  } finally {
    await database.drop();
    receiver.close();
  }
}

const row = (name: string, result: LoadResult) =>
  `${name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLifecycle, shutDown } from '@ums/server';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/users.ts';

// The drain in process (the reliability suite runs it in the real process under SIGTERM): a keep-alive client's
// request in flight when the shutdown begins is answered with `Connection: close`, the idle socket is closed, and
// the shutdown is clean; a shutdown that runs out of time says which request was still open.

interface Answer {
  status: number;
  connection: string | undefined;
}

function get(port: number, agent: Agent, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

const openSockets = (agent: Agent) =>
  [...Object.values(agent.sockets), ...Object.values(agent.freeSockets)].reduce((n, list) => n + (list?.length ?? 0), 0);

/** The app on a real port and a signed-in user. */
async function listeningApp() {
  const lifecycle = createLifecycle();
  const t = await createTestApp({}, { lifecycle });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  const user = await createSignedInUser(t.db.prisma, t.config);

  /**
   * A profile write whose client sends half its body, so it is in flight (received, not yet handled) on both
   * databases until `finish()` sends the rest.
   */
  const slowWrite = async (agent: Agent) => {
    const payload = JSON.stringify({ fullName: 'Drained' });
    let finish = () => {};
    const answer = new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          port,
          host: '127.0.0.1',
          path: '/api/v1/users/me',
          method: 'PUT',
          agent,
          headers: { ...user.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        },
      );
      req.on('error', reject);
      req.write(payload.slice(0, 5));
      finish = () => req.end(payload.slice(5));
    });
    while (!(lifecycle.openWork().requestsInFlight as unknown[] | undefined)?.length) await sleep(2);
    return { answer, finish };
  };
  return { t, lifecycle, port, slowWrite };
}

describe('shutDown', () => {
  it('answers the request in flight with Connection: close, closes the keep-alive sockets, and ends clean', async () => {
    const app = await listeningApp();
    const agent = new Agent({ keepAlive: true });
    // An idle keep-alive socket: it must not hold the shutdown up.
    const idle = new Agent({ keepAlive: true });
    const warm = await get(app.port, idle, '/health/live');
    expect([warm.status, warm.connection]).toEqual([200, 'keep-alive']);

    const write = await app.slowWrite(agent);
    const shutdown = shutDown({ app: app.t.app, lifecycle: app.lifecycle, closeAfterApp: () => app.t.db.close(), timeoutMs: 10_000 });
    await sleep(100);
    expect(openSockets(idle), 'the idle socket closed at once').toBe(0);
    write.finish();

    expect(await shutdown).toMatchObject({ clean: true });
    expect(await write.answer).toEqual({ status: 200, connection: 'close' });
    // The client sees the server's close a moment after the answer.
    for (let i = 0; i < 100 && openSockets(agent) > 0; i++) await sleep(10);
    expect(openSockets(agent)).toBe(0);
    expect(app.lifecycle.openWork()).toEqual({});
  });

  it('past its timeout it reports the phase and the request still in flight', async () => {
    const app = await listeningApp();
    const agent = new Agent({ keepAlive: true });
    const write = await app.slowWrite(agent);
    // The drain goes on after the report and closes the database in the end: once, whoever gets there first.
    let closing: Promise<void> | undefined;
    const closeDb = () => {
      closing ??= app.t.db.close();
      return closing;
    };
    const outcome = await shutDown({ app: app.t.app, lifecycle: app.lifecycle, closeAfterApp: closeDb, timeoutMs: 200 });

    expect(outcome).toMatchObject({
      clean: false,
      phase: 'draining HTTP and background work',
      open: { requestsInFlight: [expect.objectContaining({ method: 'PUT', url: '/api/v1/users/me' })], connectionsOpen: 1 },
    });
    // The drain goes on after the report (main.ts exits instead): here the request still ends, and the app closes.
    write.finish();
    expect(await write.answer).toEqual({ status: 200, connection: 'close' });
    await app.t.app.close();
    await closeDb();
  });
});

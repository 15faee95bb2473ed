import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { trpc, trpcData, trpcError } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

// A person with 20,000 audit events (each with a ~1 kB change, ~26 MB of JSON): the REST export is written as it is
// read, a page at a time; tRPC, which builds one value in memory, refuses it and points at REST. Another with 20,000
// small events (~5 MB): both transports answer the same document.

const EVENTS = 20_000;

let t: TestApp;
let baseUrl: string;
let user: SignedIn;
let other: SignedIn;
let modest: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  user = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Long History' });
  other = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Someone Else' });
  // A third of the events the user made about someone else, a third someone else made about the user, a third the
  // user made about themselves; and as many about the other user alone, which the export must leave out.
  await t.db.prisma.$executeRawUnsafe(
    `INSERT INTO audit_events (id, at, actor_id, action, target_type, target_id, changes, ip, user_agent, request_id)
     SELECT gen_random_uuid(), now() - make_interval(secs => g / 10.0),
            CASE WHEN g % 3 = 1 THEN $2::uuid ELSE $1::uuid END, 'user.updated', 'user',
            CASE WHEN g % 3 = 0 THEN $2 ELSE $1 END,
            jsonb_build_object('bio', jsonb_build_object('from', repeat('x', 1000), 'to', 'event ' || g)),
            '203.0.113.7', 'bench-agent', 'req-' || g
       FROM generate_series(1, $3::int) AS g`,
    user.id,
    other.id,
    EVENTS,
  );
  await t.db.prisma.$executeRawUnsafe(
    `INSERT INTO audit_events (id, at, actor_id, action, target_type, target_id, changes)
     SELECT gen_random_uuid(), now() - make_interval(secs => g / 10.0), $1::uuid, 'user.updated', 'user', $1, '{}'::jsonb
       FROM generate_series(1, 2000) AS g`,
    other.id,
  );
  modest = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Modest History' });
  await t.db.prisma.$executeRawUnsafe(
    `INSERT INTO audit_events (id, at, actor_id, action, target_type, target_id, changes, request_id)
     SELECT gen_random_uuid(), now() - make_interval(secs => g / 10.0), $1::uuid, 'user.updated', 'user',
            CASE WHEN g % 2 = 0 THEN $2 ELSE $3 END, jsonb_build_object('locale', jsonb_build_object('from', 'en', 'to', 'fr')), 'req-' || g
       FROM generate_series(1, $4::int) AS g`,
    modest.id,
    modest.id,
    other.id,
    EVENTS,
  );
}, 120_000);
afterAll(async () => {
  await t?.close();
});

interface Received {
  response: IncomingMessage;
  chunks: number;
  body: string;
}

/** A GET over a real connection; `onFirstChunk` runs while the rest of the body is held back (not read). */
function download(path: string, caller: SignedIn, onFirstChunk: () => Promise<void>): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { headers: caller.headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        parts.push(chunk);
        if (parts.length === 1) {
          response.pause();
          onFirstChunk().then(() => response.resume(), reject);
        }
      });
      response.on('end', () => resolve({ response, chunks: parts.length, body: Buffer.concat(parts).toString('utf8') }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The events the export must hold, newest first, straight from the table. */
const expectedIds = async () =>
  (
    await t.db.prisma.$queryRawUnsafe<{ id: string }[]>(
      'SELECT id::text FROM audit_events WHERE actor_id = $1::uuid OR target_id = $2 ORDER BY at DESC, id DESC',
      user.id,
      user.id,
    )
  ).map(({ id }) => id);

describe('export of a long history', () => {
  it('streams the REST body: it starts before the last page is read, in many chunks, and holds every event once', async () => {
    let lateId = '';
    const received = await download('/api/v1/users/me/export', user, async () => {
      // Recorded after the first bytes went out, and older than every other event: only an export still reading its
      // pages can include it. One built in memory before answering would not.
      const late = await t.db.prisma.auditEvent.create({
        data: { at: new Date('2001-01-01T00:00:00Z'), actorId: user.id, action: 'user.updated', targetType: 'user', targetId: user.id },
      });
      lateId = late.id;
    });
    expect(received.response.statusCode).toBe(200);
    expect(received.response.headers['transfer-encoding']).toBe('chunked');
    expect(received.response.headers['content-length']).toBeUndefined();
    expect(received.response.headers['content-disposition']).toMatch(/^attachment; filename="user-export-/);
    expect(received.chunks).toBeGreaterThan(20);

    const exported = JSON.parse(received.body);
    const ids = exported.auditEvents.map((event: { id: string }) => event.id);
    // The seeded events, this export's user.exported, and the late one, last.
    expect(ids).toHaveLength(EVENTS + 2);
    expect(ids.at(-1)).toBe(lateId);
    expect(ids).toEqual(await expectedIds());
    expect(new Set(ids).size).toBe(ids.length);
    expect(exported.auditEvents[1]).toMatchObject({
      changes: { bio: { from: 'x'.repeat(1000) } },
      ip: '203.0.113.7',
      userAgent: 'bench-agent',
    });
    expect(received.body).not.toContain(other.email);
  }, 120_000);

  it('is refused over tRPC when too large for one answer in memory, pointing at the REST route', async () => {
    const viaTrpc = await trpc(t.app, 'query', 'me.export', { headers: user.headers });
    expect(viaTrpc.statusCode).toBe(409);
    expect(trpcError(viaTrpc).data).toMatchObject({ code: 'CONFLICT', reason: 'EXPORT_TOO_LARGE' });
    expect(trpcError(viaTrpc).message).toContain('GET /api/v1/users/me/export');
  }, 120_000);

  it('is the same document over tRPC and REST', async () => {
    const viaTrpc = await trpc(t.app, 'query', 'me.export', { headers: modest.headers });
    expect(viaTrpc.statusCode).toBe(200);
    const fromTrpc = trpcData(viaTrpc);
    const fromRest = JSON.parse((await download('/api/v1/users/me/export', modest, async () => {})).body);
    // All made by the user (half about themselves, half about someone else), and the tRPC export's own event.
    expect(fromTrpc.auditEvents.length).toBe(EVENTS + 1);
    // The REST export came second: its own user.exported event first, then exactly the trail tRPC gave.
    expect(fromRest.auditEvents.slice(1)).toEqual(fromTrpc.auditEvents);
    expect({ ...fromRest, exportedAt: null, auditEvents: null }).toEqual({ ...fromTrpc, exportedAt: null, auditEvents: null });
  }, 120_000);
});

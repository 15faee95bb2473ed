import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let auditor: SignedIn;

const BASE = Date.parse('2030-01-01T00:00:00.000Z');
const actorA = randomUUID();
const actorB = randomUUID();

interface Seeded {
  id: string;
  at: Date;
  actorId: string | null;
  targetId: string;
  action: string;
}
const seeded: Seeded[] = [];

beforeAll(async () => {
  t = await createTestApp();
  auditor = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
  // 60 events in 2030 (after anything the tests do now), three per millisecond-exact instant so that page
  // boundaries fall inside groups of equal `at`.
  for (let i = 0; i < 60; i++) {
    seeded.push({
      id: randomUUID(),
      at: new Date(BASE + Math.floor(i / 3) * 60_000),
      actorId: i % 5 === 4 ? null : i % 2 === 0 ? actorA : actorB,
      targetId: `target-${i % 4}`,
      action: i % 3 === 0 ? 'thing.created' : 'thing.updated',
    });
  }
  await t.db.prisma.auditEvent.createMany({ data: seeded.map((event) => ({ ...event, targetType: 'thing' })) });
  // Each event's changes are its personal part (about no user here: the target is a thing).
  await t.db.prisma.auditEventPersonalData.createMany({
    data: seeded.map((event) => ({ eventId: event.id, part: 'changes', subjectId: null, data: { n: { from: null, to: event.id } } })),
  });
});
afterAll(() => t.close());

/** The order the API promises: newest first, ties by id, descending. */
const newestFirst = (a: Seeded, b: Seeded) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

const get = (query: Record<string, string | number>, caller: SignedIn = auditor) => {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return rest(t.app, 'GET', `/audit-events${search ? `?${search}` : ''}`, { headers: caller.headers });
};

/** Follows nextCursor to the end; returns every id and the page sizes. */
async function pageThrough(query: Record<string, string | number>) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const res = await get(cursor ? { ...query, cursor } : query);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    ids.push(...body.items.map((item: { id: string }) => item.id));
    sizes.push(body.items.length);
    cursor = body.nextCursor;
    if (cursor === null) return { ids, sizes };
  }
  throw new Error('paging did not end');
}

const inYear2030 = { from: new Date(BASE).toISOString() };

describe('audit.list', () => {
  it('lists newest first, 50 by default, with the full event shape', async () => {
    const res = await get(inYear2030);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(50);
    expect(body.nextCursor).toEqual(expect.any(String));
    const expected = [...seeded].sort(newestFirst);
    expect(body.items.map((item: { id: string }) => item.id)).toEqual(expected.slice(0, 50).map((event) => event.id));
    const first = expected[0]!;
    expect(body.items[0]).toEqual({
      id: first.id,
      at: first.at.toISOString(),
      actorId: first.actorId,
      action: first.action,
      targetType: 'thing',
      targetId: first.targetId,
      changes: { n: { from: null, to: first.id } },
      ip: null,
      userAgent: null,
      requestId: null,
      impersonatorId: null,
      actor: null,
      target: null,
    });
  });

  it.each([
    ['no filter but time', {}],
    ['actorId', { actorId: actorA }],
    ['targetId', { targetId: 'target-1' }],
    ['action', { action: 'thing.created' }],
    ['actorId + action', { actorId: actorB, action: 'thing.updated' }],
    ['targetId + actorId + action', { targetId: 'target-2', actorId: actorA, action: 'thing.updated' }],
    ['action + time range', { action: 'thing.updated', to: new Date(BASE + 12 * 60_000).toISOString() }],
  ])('pages through %s by cursor: every match once, in order, nothing else', async (_label, filters: Record<string, string>) => {
    const query = { ...inYear2030, ...filters, limit: 4 };
    const { ids, sizes } = await pageThrough(query);
    const expected = seeded
      .filter(
        (event) =>
          (!filters.actorId || event.actorId === filters.actorId) &&
          (!filters.targetId || event.targetId === filters.targetId) &&
          (!filters.action || event.action === filters.action) &&
          (!filters.to || event.at < new Date(filters.to)),
      )
      .sort(newestFirst)
      .map((event) => event.id);
    expect(expected.length).toBeGreaterThan(2);
    expect(ids).toEqual(expected);
    expect(sizes.slice(0, -1).every((size) => size === 4)).toBe(true);
  });

  it('treats `from` as inclusive and `to` as exclusive, offsets included', async () => {
    const fromInstant = new Date(BASE + 5 * 60_000);
    const toInstant = new Date(BASE + 8 * 60_000);
    const res = await get({ from: '2030-01-01T01:05:00+01:00', to: toInstant.toISOString(), limit: 100 });
    expect(res.statusCode).toBe(200);
    const ats: string[] = res.json().items.map((item: { at: string }) => item.at);
    expect(ats).toHaveLength(9);
    expect(ats).toContain(fromInstant.toISOString());
    expect(ats).not.toContain(toInstant.toISOString());
    expect(new Set(ats)).toEqual(new Set([5, 6, 7].map((minute) => new Date(BASE + minute * 60_000).toISOString())));
  });

  it('reads and filters events whose ids are any PostgreSQL uuid, not only RFC 9562 ones', async () => {
    const legacyActor = 'd41d8cd9-8f00-b204-e980-0998ecf8427e';
    await t.db.prisma.auditEvent.create({
      data: { id: 'a41d8cd9-8f00-b204-e980-0998ecf8427e', actorId: legacyActor, action: 'legacy.import' },
    });
    const res = await get({ actorId: legacyActor });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([expect.objectContaining({ id: 'a41d8cd9-8f00-b204-e980-0998ecf8427e', actorId: legacyActor })]);
  });

  it('answers an empty page with a null cursor when nothing matches', async () => {
    const res = await get({ actorId: randomUUID() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [], nextCursor: null });
  });

  it('takes the same input over tRPC', async () => {
    const input = { actorId: actorA, action: 'thing.created', limit: 2, from: inYear2030.from };
    const res = await trpc(t.app, 'query', 'audit.list', { headers: auditor.headers, input });
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json().result.data;
    expect(items).toHaveLength(2);
    expect(items.every((item: Seeded) => item.actorId === actorA && item.action === 'thing.created')).toBe(true);
    const page2 = await trpc(t.app, 'query', 'audit.list', { headers: auditor.headers, input: { ...input, cursor: nextCursor } });
    expect(page2.json().result.data.items[0].id).not.toBe(items[1].id);
  });

  it.each([
    ['limit 0', { limit: 0 }, ['limit']],
    ['limit 101', { limit: 101 }, ['limit']],
    ['limit not a number', { limit: 'ten' }, ['limit']],
    ['a bad cursor', { cursor: 'not-a-cursor' }, ['cursor']],
    ['a forged cursor', { cursor: Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url') }, ['cursor']],
    ['actorId not a UUID', { actorId: 'bob' }, ['actorId']],
    ['from not a timestamp', { from: 'last tuesday' }, ['from']],
    ['to before from', { from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }, ['to']],
    ['an unknown filter', { userId: randomUUID() }, []],
  ])('answers 400 for %s', async (_label, query: Record<string, string | number>, path) => {
    const res = await get(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
    if (path.length > 0) expect(res.json().issues).toContainEqual(expect.objectContaining({ path }));
  });

  it('records who did what from where: a real change shows actor, ip, user agent and request id', async () => {
    const admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
    const created = await rest(t.app, 'POST', '/rbac/roles', {
      headers: { ...admin.headers, 'user-agent': 'audit-test/1.0', 'x-request-id': 'audit-req-1' },
      body: { name: 'observers', permissions: ['audit:read'] },
    });
    expect(created.statusCode).toBe(201);
    const res = await get({ actorId: admin.id, action: 'role.created' });
    expect(res.json().items).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actorId: admin.id,
        action: 'role.created',
        targetType: 'role',
        targetId: 'observers',
        changes: {
          name: { from: null, to: 'observers' },
          description: { from: null, to: '' },
          permissions: { from: null, to: ['audit:read'] },
          requireMfa: { from: null, to: false },
        },
        ip: expect.any(String),
        userAgent: 'audit-test/1.0',
        requestId: 'audit-req-1',
        impersonatorId: null,
        actor: { id: admin.id, fullName: null, email: admin.email },
        target: null,
      },
    ]);
    expect(Math.abs(Date.parse(res.json().items[0].at) - Date.now())).toBeLessThan(60_000);
  });

  it('needs audit:read', async () => {
    const plain = await createSignedInUser(t.db.prisma, t.config, { roles: ['user'] });
    expect((await get({}, plain)).statusCode).toBe(403);
    expect((await rest(t.app, 'GET', '/audit-events')).statusCode).toBe(401);
  });
});

import { randomUUID } from 'node:crypto';
import { ZSessionList } from '@ums/contract';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { rest, trpc, trpcData } from '../support/client.ts';
import { createSignedInUser, type SignedIn, signIn } from '../support/users.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const listSessions = async (caller: SignedIn) => {
  const res = await rest(t.app, 'GET', '/users/me/sessions', { headers: caller.headers });
  expect(res.statusCode).toBe(200);
  return ZSessionList.parse(res.json()).items;
};
const revokedEvents = (sessionId: string) => findAuditEvents(t.db, { where: { targetId: sessionId, action: 'session.revoked' } });

describe('me.sessions.list', () => {
  it('lists only the caller’s live sessions and marks the current one', async () => {
    const me = await createSignedInUser(t.db.prisma, t.config);
    const other = await signIn(t.db.prisma, t.config, me);
    const revoked = await signIn(t.db.prisma, t.config, me);
    const expired = await signIn(t.db.prisma, t.config, me);
    await t.db.prisma.userSession.update({ where: { id: revoked.sessionId }, data: { revokedAt: new Date() } });
    await t.db.prisma.userSession.update({ where: { id: expired.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const stranger = await createSignedInUser(t.db.prisma, t.config);

    const items = await listSessions(me);
    expect(items.map((session) => session.id).sort()).toEqual([me.sessionId, other.sessionId].sort());
    expect(items.find((session) => session.current)?.id).toBe(me.sessionId);
    expect(items.filter((session) => session.current)).toHaveLength(1);
    expect(items[0]).toEqual({
      id: expect.any(String),
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      authenticatedAt: expect.any(String),
      methods: ['password'],
      ip: '127.0.0.1',
      userAgent: 'vitest',
      current: expect.any(Boolean),
      impersonatorId: null,
    });
    expect(items.map((session) => session.id)).not.toContain(stranger.sessionId);

    // Seen from the other session, that one is current.
    const fromOther = await trpc(t.app, 'query', 'me.sessions.list', { headers: other.headers });
    expect(ZSessionList.parse(trpcData(fromOther)).items.find((session) => session.current)?.id).toBe(other.sessionId);
  });
});

describe('me.sessions.revoke', () => {
  it('ends another of the caller’s sessions at once (204), and audits it', async () => {
    const me = await createSignedInUser(t.db.prisma, t.config);
    const laptop = await signIn(t.db.prisma, t.config, me);
    expect((await rest(t.app, 'GET', '/users/me', { headers: laptop.headers })).statusCode).toBe(200);

    const res = await rest(t.app, 'DELETE', `/users/me/sessions/${laptop.sessionId}`, { headers: me.headers });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await rest(t.app, 'GET', '/users/me', { headers: laptop.headers })).statusCode).toBe(401);
    expect((await rest(t.app, 'GET', '/users/me', { headers: me.headers })).statusCode).toBe(200);
    expect((await listSessions(me)).map((session) => session.id)).toEqual([me.sessionId]);

    const stored = await t.db.prisma.userSession.findUniqueOrThrow({ where: { id: laptop.sessionId } });
    expect(stored.revokedAt).not.toBeNull();
    const [event, ...more] = await revokedEvents(laptop.sessionId);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({
      actorId: me.id,
      targetType: 'session',
      changes: { revokedAt: { from: null, to: stored.revokedAt?.toISOString() } },
    });
  });

  it('answers 404, not 403, for another user’s session, and leaves it alone', async () => {
    const me = await createSignedInUser(t.db.prisma, t.config);
    const victim = await createSignedInUser(t.db.prisma, t.config);

    const restRes = await rest(t.app, 'DELETE', `/users/me/sessions/${victim.sessionId}`, { headers: me.headers });
    expect(restRes.statusCode).toBe(404);
    expect(restRes.json()).toMatchObject({ code: 'NOT_FOUND' });
    const trpcRes = await trpc(t.app, 'mutation', 'me.sessions.revoke', { headers: me.headers, input: { sessionId: victim.sessionId } });
    expect(trpcRes.statusCode).toBe(404);

    // Indistinguishable from an id that does not exist at all.
    const unknown = await rest(t.app, 'DELETE', `/users/me/sessions/${randomUUID()}`, { headers: me.headers });
    const answer = (res: LightMyRequestResponse) => ({ status: res.statusCode, body: res.json() });
    expect(answer(unknown)).toEqual(answer(restRes));

    expect((await rest(t.app, 'GET', '/users/me', { headers: victim.headers })).statusCode).toBe(200);
    expect(await revokedEvents(victim.sessionId)).toHaveLength(0);
  });

  it('ends the current session too (a sign-out), and a repeat is a quiet 204', async () => {
    const me = await createSignedInUser(t.db.prisma, t.config);
    const keeper = await signIn(t.db.prisma, t.config, me);
    expect(
      (await trpc(t.app, 'mutation', 'me.sessions.revoke', { headers: me.headers, input: { sessionId: me.sessionId } })).statusCode,
    ).toBe(200);
    expect((await rest(t.app, 'GET', '/users/me', { headers: me.headers })).statusCode).toBe(401);

    const again = await rest(t.app, 'DELETE', `/users/me/sessions/${me.sessionId}`, { headers: keeper.headers });
    expect(again.statusCode).toBe(204);
    expect(await revokedEvents(me.sessionId)).toHaveLength(1);
  });

  it('rejects a malformed session id with 400', async () => {
    const me = await createSignedInUser(t.db.prisma, t.config);
    const res = await rest(t.app, 'DELETE', '/users/me/sessions/not-a-uuid', { headers: me.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ issues: [{ path: ['sessionId'] }] });
  });
});

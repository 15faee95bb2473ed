import { randomUUID } from 'node:crypto';
import { ZSessionList } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser, type SignedIn, signIn } from '../support/users.ts';
import { rest, trpc } from '../users/helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const listSessions = async (caller: SignedIn) => {
  const res = await rest(t.app, 'GET', '/users/me/sessions', caller.headers);
  expect(res.status).toBe(200);
  return ZSessionList.parse(res.body).items;
};
const revokedEvents = (sessionId: string) => t.db.prisma.auditEvent.findMany({ where: { targetId: sessionId, action: 'session.revoked' } });

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
      ip: '127.0.0.1',
      userAgent: 'vitest',
      current: expect.any(Boolean),
    });
    expect(items.map((session) => session.id)).not.toContain(stranger.sessionId);

    // Seen from the other session, that one is current.
    const fromOther = await trpc(t.app, 'query', 'me.sessions.list', undefined, other.headers);
    expect(ZSessionList.parse(fromOther.data).items.find((session) => session.current)?.id).toBe(other.sessionId);
  });
});

describe('me.sessions.revoke', () => {
  it('ends another of the caller’s sessions at once (204), and audits it', async () => {
    const me = await createSignedInUser(t.db.prisma, t.config);
    const laptop = await signIn(t.db.prisma, t.config, me);
    expect((await rest(t.app, 'GET', '/users/me', laptop.headers)).status).toBe(200);

    const res = await rest(t.app, 'DELETE', `/users/me/sessions/${laptop.sessionId}`, me.headers);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await rest(t.app, 'GET', '/users/me', laptop.headers)).status).toBe(401);
    expect((await rest(t.app, 'GET', '/users/me', me.headers)).status).toBe(200);
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

    const restRes = await rest(t.app, 'DELETE', `/users/me/sessions/${victim.sessionId}`, me.headers);
    expect(restRes.status).toBe(404);
    expect(restRes.body).toMatchObject({ code: 'NOT_FOUND' });
    const trpcRes = await trpc(t.app, 'mutation', 'me.sessions.revoke', { sessionId: victim.sessionId }, me.headers);
    expect(trpcRes.status).toBe(404);

    // Indistinguishable from an id that does not exist at all.
    const unknown = await rest(t.app, 'DELETE', `/users/me/sessions/${randomUUID()}`, me.headers);
    expect(unknown).toEqual(restRes);

    expect((await rest(t.app, 'GET', '/users/me', victim.headers)).status).toBe(200);
    expect(await revokedEvents(victim.sessionId)).toHaveLength(0);
  });

  it('ends the current session too (a sign-out), and a repeat is a quiet 204', async () => {
    const me = await createSignedInUser(t.db.prisma, t.config);
    const keeper = await signIn(t.db.prisma, t.config, me);
    expect((await trpc(t.app, 'mutation', 'me.sessions.revoke', { sessionId: me.sessionId }, me.headers)).status).toBe(200);
    expect((await rest(t.app, 'GET', '/users/me', me.headers)).status).toBe(401);

    const again = await rest(t.app, 'DELETE', `/users/me/sessions/${me.sessionId}`, keeper.headers);
    expect(again.status).toBe(204);
    expect(await revokedEvents(me.sessionId)).toHaveLength(1);
  });

  it('rejects a malformed session id with 400', async () => {
    const me = await createSignedInUser(t.db.prisma, t.config);
    const res = await rest(t.app, 'DELETE', '/users/me/sessions/not-a-uuid', me.headers);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ issues: [{ path: ['sessionId'] }] });
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn, type TestUser } from '../support/users.ts';

// audit.list names the people of each event: `actor` and `target` as { id, fullName, email }, null for the system,
// for non-user targets and for ids that are no user.

let t: TestApp;
let auditor: SignedIn;
let ada: TestUser;
let grace: TestUser;
const FROM = '2031-01-01T00:00:00.000Z';

beforeAll(async () => {
  t = await createTestApp();
  auditor = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'], fullName: 'The Auditor' });
  ada = await createUser(t.db.prisma, { fullName: 'Ada Lovelace', email: `ada-${randomUUID()}@example.com` });
  grace = await createUser(t.db.prisma, { email: `grace-${randomUUID()}@example.com` });
  const at = (minute: number) => new Date(Date.parse(FROM) + minute * 60_000);
  await t.db.prisma.auditEvent.createMany({
    data: [
      { id: randomUUID(), at: at(1), actorId: ada.id, action: 'user.updated', targetType: 'user', targetId: grace.id },
      { id: randomUUID(), at: at(2), actorId: null, action: 'user.bootstrap_admin', targetType: 'user', targetId: ada.id.toUpperCase() },
      { id: randomUUID(), at: at(3), actorId: grace.id, action: 'role.updated', targetType: 'role', targetId: 'admin' },
      { id: randomUUID(), at: at(4), actorId: randomUUID(), action: 'user.updated', targetType: 'user', targetId: randomUUID() },
      { id: randomUUID(), at: at(5), actorId: ada.id, action: 'user.updated', targetType: 'user', targetId: 'not-a-uuid' },
    ],
  });
});
afterAll(() => t.close());

const page = async (query: string) => {
  const res = await rest(t.app, 'GET', `/audit-events?from=${FROM}&${query}`, { headers: auditor.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { action: string; actor: unknown; target: unknown }[];
};

describe('audit.list people', () => {
  it('names actors and user targets, null for the system, roles and unknown ids', async () => {
    const items = await page('limit=10');
    const adaSummary = { id: ada.id, fullName: 'Ada Lovelace', email: ada.email };
    const graceSummary = { id: grace.id, fullName: null, email: grace.email };
    expect(items.map(({ actor, target }) => ({ actor, target }))).toEqual([
      { actor: adaSummary, target: null },
      { actor: null, target: null },
      { actor: graceSummary, target: null },
      { actor: null, target: adaSummary },
      { actor: adaSummary, target: graceSummary },
    ]);
    // Never more than the summary: no hash, no other column of the user.
    expect(JSON.stringify(items)).not.toMatch(/passwordHash|argon2/);
  });

  it('keeps the people beside the actor filter, and shows a person as they are now', async () => {
    await t.db.prisma.user.update({ where: { id: ada.id }, data: { fullName: 'Ada King', email: `erased+${ada.id}@invalid` } });
    const items = await page(`actorId=${ada.id}`);
    expect(items).toHaveLength(2);
    for (const item of items) expect(item.actor).toEqual({ id: ada.id, fullName: 'Ada King', email: `erased+${ada.id}@invalid` });
  });

  it('is audit:read only', async () => {
    const reader = await createSignedInUser(t.db.prisma, t.config);
    expect((await rest(t.app, 'GET', '/audit-events', { headers: reader.headers })).statusCode).toBe(403);
  });
});

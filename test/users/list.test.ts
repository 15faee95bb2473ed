import { randomUUID } from 'node:crypto';
import { ZListUsersInput, ZUserList } from '@ums/contract';
import { type Db, LIMIT_SIZES, Prisma } from '@ums/db';
import { listUsers } from '@ums/server/src/modules/users/list-users.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc, trpcData, trpcError } from '../support/client.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

const DOMAIN = 'paging.example';
const PAGED_USERS = 250;
const sorts = ['createdAt', 'email', 'fullName', 'lastLoginAt'] as const;
const orders = ['asc', 'desc'] as const;
const SORT_COLUMN = { createdAt: 'created_at', email: 'email', fullName: 'full_name', lastLoginAt: 'last_login_at' } as const;

let t: TestApp;
let admin: SignedIn;
let reporterRoleId: string;
const base = Date.parse('2025-01-01T00:00:00.000Z');

beforeAll(async () => {
  t = await createTestApp();
  admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'], email: 'admin@console.example' });
  const reporter = await t.db.prisma.role.create({ data: { name: 'reporter', description: 'test role' }, select: { id: true } });
  reporterRoleId = reporter.id;
  // Ties in every sort column and empty sort values, so the id tie-breaker and the NULLS placement are exercised.
  await t.db.prisma.user.createMany({
    data: Array.from({ length: PAGED_USERS }, (_, i) => ({
      id: randomUUID(),
      email: `walker-${String(i).padStart(3, '0')}@${DOMAIN}`,
      passwordHash: 'not-a-real-hash',
      fullName: i % 5 === 0 ? null : `Walker ${i % 40}`,
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
      lastLoginAt: i % 4 === 0 ? null : new Date(base + Math.floor(i / 6) * 60_000),
      isActive: i % 8 !== 0,
    })),
  });
  const paged = await t.db.prisma.user.findMany({ where: { email: { endsWith: `@${DOMAIN}` } }, select: { id: true, email: true } });
  const withRole = paged.filter((user) => Number(user.email.slice(7, 10)) % 6 === 0);
  await t.db.prisma.userRole.createMany({ data: withRole.map((user) => ({ userId: user.id, roleId: reporterRoleId })) });
});
afterAll(() => t.close());

type Query = Record<string, string | number | boolean | undefined>;

async function listPage(query: Query) {
  const res = await trpc(t.app, 'query', 'users.list', { headers: admin.headers, input: query });
  expect(res.statusCode, JSON.stringify(res.json())).toBe(200);
  return ZUserList.parse(trpcData(res));
}

/** Follows nextCursor to the end, calling `between` after every page; returns the ids in the order seen. */
async function walk(query: Query, between?: (page: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const [result] = await Promise.all([listPage({ ...query, cursor }), between?.(page)]);
    expect(result.items.length).toBeLessThanOrEqual(Number(query.limit ?? 20));
    seen.push(...result.items.map((user) => user.id));
    if (!result.nextCursor) return seen;
    cursor = result.nextCursor;
  }
  throw new Error('the walk did not end');
}

/** The expected order, straight from the database: empty sort values last in both directions, then id. */
async function expectedIds(sort: (typeof sorts)[number], order: 'asc' | 'desc', where: Prisma.Sql = Prisma.sql`TRUE`) {
  const column = Prisma.raw(SORT_COLUMN[sort]);
  const direction = Prisma.raw(order);
  const rows = await t.db.prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE email LIKE ${`%@${DOMAIN}`} AND ${where}
    ORDER BY ${column} ${direction} NULLS LAST, id ${direction}`;
  return rows.map((row) => row.id);
}

describe('users.list paging', () => {
  for (const sort of sorts) {
    for (const order of orders) {
      it(`walks ${PAGED_USERS} users exactly once, in order, sorted by ${sort} ${order}`, async () => {
        const seen = await walk({ search: DOMAIN, sort, order, limit: 7 });
        expect(seen).toHaveLength(PAGED_USERS);
        expect(new Set(seen).size).toBe(PAGED_USERS);
        expect(seen).toEqual(await expectedIds(sort, order));
      });
    }
  }

  it('walks a filtered set (role + inactive) exactly once, with its total', async () => {
    const where = Prisma.sql`NOT is_active AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = users.id AND ur.role_id = ${reporterRoleId}::uuid)`;
    const expected = await expectedIds('fullName', 'asc', where);
    expect(expected.length).toBeGreaterThan(3);
    const first = await listPage({
      search: DOMAIN,
      role: 'reporter',
      isActive: false,
      sort: 'fullName',
      order: 'asc',
      limit: 2,
      includeTotal: true,
    });
    expect(first.total).toBe(expected.length);
    const seen = await walk({ search: DOMAIN, role: 'reporter', isActive: false, sort: 'fullName', order: 'asc', limit: 2 });
    expect(seen).toEqual(expected);
  });

  for (const sort of sorts) {
    for (const order of orders) {
      it(`neither repeats nor skips existing users while users are added during a ${sort} ${order} walk`, async () => {
        const before = await expectedIds(sort, order);
        const tag = `new-${sort}-${order}`;
        let added = 0;
        // Between pages, new rows land before, at and after the cursor position in every ordering.
        const addUsers = async (page: number) => {
          if (page > 20) return;
          const n = added;
          added += 3;
          await t.db.prisma.user.createMany({
            data: [
              { email: `aaa-${tag}-${n}@${DOMAIN}`, fullName: null, createdAt: new Date(base - 1_000_000 + n), lastLoginAt: null },
              {
                email: `walker-1-${tag}-${n}@${DOMAIN}`,
                fullName: `Walker ${n % 40}`,
                createdAt: new Date(base + page * 2_000),
                lastLoginAt: new Date(base + page * 60_000),
              },
              { email: `zzz-${tag}-${n}@${DOMAIN}`, fullName: 'Zed', createdAt: new Date(), lastLoginAt: new Date() },
            ].map((user) => ({ ...user, passwordHash: 'not-a-real-hash' })),
          });
        };
        const seen = await walk({ search: DOMAIN, sort, order, limit: 7 }, addUsers);
        await t.db.prisma.user.deleteMany({ where: { email: { contains: tag } } });

        expect(added).toBeGreaterThan(0);
        expect(new Set(seen).size).toBe(seen.length);
        const seenSet = new Set(seen);
        expect(before.filter((id) => !seenSet.has(id))).toEqual([]);
        const seenExisting = seen.filter((id) => before.includes(id));
        expect(seenExisting).toEqual(before);
      });
    }
  }
});

describe('users.list filters and search', () => {
  it('searches email and full name case-insensitively, as a substring', async () => {
    const byName = await listPage({ search: 'WALKER 3', sort: 'email', order: 'asc', limit: 100, includeTotal: true });
    const names = byName.items.map((user) => user.fullName);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name?.toLowerCase()).toContain('walker 3');
    const matching = await t.db.prisma.user.count({
      where: {
        OR: [{ fullName: { contains: 'walker 3', mode: 'insensitive' } }, { email: { contains: 'walker 3', mode: 'insensitive' } }],
      },
    });
    expect(byName.total).toBe(matching);
    expect(byName.items).toHaveLength(matching);

    const byEmail = await listPage({ search: 'ALKER-04', limit: 100 });
    expect(byEmail.items.map((user) => user.email).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `walker-04${i}@${DOMAIN}`));
  });

  it('matches within the email or within the name, never across the two', async () => {
    const [user] = (await listPage({ search: 'walker-041@', limit: 1 })).items;
    expect(user?.fullName).toBe('Walker 1');
    const emailEnd = user!.email.slice(-6);
    expect((await listPage({ search: `${emailEnd}`, limit: 1, includeTotal: true })).total).toBeGreaterThan(0);
    expect((await listPage({ search: 'walker 1', limit: 1, includeTotal: true })).total).toBeGreaterThan(0);
    for (const across of [`${emailEnd}walker 1`, `${emailEnd} walker 1`, `${emailEnd}\nwalker 1`]) {
      expect((await listPage({ search: across, limit: 1, includeTotal: true })).total, JSON.stringify(across)).toBe(0);
    }
  });

  it('treats %, _ and \\ in the search term as plain characters', async () => {
    const db = t.db.prisma;
    const make = (email: string, fullName: string) =>
      db.user.create({ data: { email, fullName, passwordHash: 'x' }, select: { id: true } });
    const underscore = await make('a_b@like.example', 'Under Score');
    await make('axb@like.example', 'No Underscore');
    const percent = await make('percent@like.example', '100% sure');
    await make('hundred@like.example', '100 percent sure');
    const backslash = await make('backslash@like.example', 'back\\slash');
    await make('backslash2@like.example', 'backslash');

    const ids = async (search: string) => (await listPage({ search, limit: 100 })).items.map((user) => user.id);
    expect(await ids('a_b')).toEqual([underscore.id]);
    expect(await ids('0% s')).toEqual([percent.id]);
    expect(await ids('k\\s')).toEqual([backslash.id]);
    expect(await ids('%')).toEqual([percent.id]);
  });

  it('filters by role and by active state, and counts the filtered total', async () => {
    const all = await listPage({ search: DOMAIN, limit: 100, includeTotal: true });
    const inactive = await listPage({ search: DOMAIN, isActive: false, limit: 100, includeTotal: true });
    const active = await listPage({ search: DOMAIN, isActive: true, limit: 1, includeTotal: true });
    expect(inactive.items.every((user) => !user.isActive)).toBe(true);
    expect(inactive.total).toBeGreaterThan(0);
    expect((inactive.total ?? 0) + (active.total ?? 0)).toBe(all.total);
    expect(active.items).toHaveLength(1);

    const reporters = await listPage({ role: 'reporter', limit: 100, includeTotal: true });
    expect(reporters.items.length).toBeGreaterThan(0);
    expect(reporters.items.every((user) => user.roles.includes('reporter'))).toBe(true);
    expect(reporters.total).toBe(await t.db.prisma.userRole.count({ where: { roleId: reporterRoleId } }));

    const nobody = await listPage({ role: 'no-such-role', includeTotal: true });
    expect(nobody).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('shows each user exactly as users.byId does', async () => {
    await t.db.prisma.user.update({
      where: { email: 'walker-006@paging.example' },
      data: { phoneNumber: '+14155550123', timezone: 'Europe/Paris', locale: 'fr-FR', bio: 'hi', deactivatedAt: new Date() },
    });
    const page = await listPage({ search: 'walker-006@', includeTotal: true });
    expect(page.total).toBe(1);
    const [listed] = page.items;
    const byId = await trpc(t.app, 'query', 'users.byId', { headers: admin.headers, input: { id: listed?.id } });
    expect(listed).toEqual(trpcData(byId));
    expect(listed?.roles).toEqual(['reporter']);
  });

  it('answers every limit from 1 to 100 exactly, with a handful of distinct page statements', async () => {
    const statements = new Set<string>();
    const recording: Db = {
      ...t.db,
      query: (statement) => {
        statements.add(statement.text);
        return t.db.query(statement);
      },
    };
    const expected = await expectedIds('email', 'asc');
    for (let limit = 1; limit <= 100; limit++) {
      const page = await listUsers({ db: recording }, ZListUsersInput.parse({ search: DOMAIN, sort: 'email', order: 'asc', limit }));
      expect(page.items.map((user) => user.id)).toEqual(expected.slice(0, limit));
      const next = await listUsers(
        { db: recording },
        ZListUsersInput.parse({ search: DOMAIN, sort: 'email', order: 'asc', limit, cursor: page.nextCursor }),
      );
      expect(next.items[0]?.id).toBe(expected[limit]);
    }
    // Each distinct text is a prepared statement per pooled connection (unless it holds a LIKE, as here): a parameter
    // LIMIT would be re-planned on every page, a literal per limit would be 100 statements.
    expect([...statements].every((sql) => !/LIMIT \$/.test(sql))).toBe(true);
    expect(statements.size).toBeLessThanOrEqual(2 * LIMIT_SIZES.length);
  });

  it('omits total unless asked, and defaults to 20 newest first', async () => {
    const page = await listPage({});
    expect(page.total).toBeUndefined();
    expect(page.items).toHaveLength(20);
    const created = page.items.map((user) => user.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('serves the same over REST, with query-string filters, and never leaks secrets', async () => {
    const res = await rest(t.app, 'GET', `/users?search=${DOMAIN}&isActive=false&limit=5&sort=email&order=asc&includeTotal=true`, {
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    const page = ZUserList.parse(res.json());
    expect(page.items).toHaveLength(5);
    expect(page.items.every((user) => !user.isActive && user.email.endsWith(DOMAIN))).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(JSON.stringify(res.json())).not.toMatch(/password|hash/i);

    const next = await rest(
      t.app,
      'GET',
      `/users/?search=${DOMAIN}&isActive=false&limit=5&sort=email&order=asc&cursor=${page.nextCursor}`,
      { headers: admin.headers },
    );
    expect(next.statusCode).toBe(200);
    const second = ZUserList.parse(next.json());
    const expected = await expectedIds('email', 'asc', Prisma.sql`NOT is_active`);
    expect([...page.items, ...second.items].map((user) => user.id)).toEqual(expected.slice(0, 10));
  });

  it('rejects a foreign or malformed cursor and out-of-range limits with 400 naming the field', async () => {
    const page = await listPage({ sort: 'email', order: 'asc', limit: 1 });
    const cases: [Query, string][] = [
      [{ sort: 'email', order: 'desc', cursor: page.nextCursor ?? '' }, 'cursor'],
      [{ sort: 'createdAt', order: 'asc', cursor: page.nextCursor ?? '' }, 'cursor'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [
        {
          cursor: Buffer.from('{"s":"createdAt","o":"desc","v":"yesterday","i":"00000000-0000-4000-8000-000000000000"}').toString(
            'base64url',
          ),
        },
        'cursor',
      ],
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ sort: 'password' }, 'sort'],
      [{ order: 'sideways' }, 'order'],
    ];
    for (const [query, field] of cases) {
      const res = await trpc(t.app, 'query', 'users.list', { headers: admin.headers, input: query });
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(trpcError(res)?.data.issues?.map((issue) => issue.path[0])).toContain(field);
    }
    const restRes = await rest(t.app, 'GET', '/users?cursor=garbage', { headers: admin.headers });
    expect(restRes.statusCode).toBe(400);
    expect(restRes.json()).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: ['cursor'], message: expect.any(String) }] });
  });
});

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';
import { reportFigures } from './support/figures.ts';

// Real concurrency: the app on a PostgreSQL database of the reliability cluster (not the embedded database, which
// runs one statement at a time), called over a real port by many clients at once.

const CONCURRENT = 50;
const ROUNDS = 2;

let t: TestApp;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'warn' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t?.close());

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const statuses = (answers: Answer[]) => answers.map((answer) => answer.status).sort();
const winnersAndConflicts = (answers: Answer[]) => ({
  winners: answers.filter((answer) => answer.status === 200).length,
  conflicts: answers.filter((answer) => answer.status === 409).length,
});

/** The three versioned views of one user's own data, each with the value it stores and where its version lives. */
const VIEWS = {
  profile: {
    path: '/users/me',
    body: (value: string, expectedVersion: number) => ({ fullName: value, expectedVersion }),
    version: async (userId: string) =>
      (await t.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { version: true } })).version,
    stored: async (userId: string) =>
      (await t.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { fullName: true } })).fullName,
    actions: ['user.profile_updated'],
  },
  preferences: {
    path: '/users/me/preferences',
    body: (value: string, expectedVersion: number) => ({ language: value, expectedVersion }),
    version: settingsVersion,
    stored: (userId: string) => storedSetting(userId, 'language'),
    actions: ['preferences.updated', 'settings.updated'],
  },
  settings: {
    path: '/users/me/settings',
    body: (value: string, expectedVersion: number) => ({ settings: [{ key: 'profile.headline', value }], expectedVersion }),
    version: settingsVersion,
    stored: (userId: string) => storedSetting(userId, 'profile.headline'),
    actions: ['preferences.updated', 'settings.updated'],
  },
} as const;
type View = keyof typeof VIEWS;

async function settingsVersion(userId: string): Promise<number> {
  return (await t.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { settingsVersion: true } })).settingsVersion;
}
async function storedSetting(userId: string, key: string): Promise<unknown> {
  return (await t.db.prisma.userSetting.findUnique({ where: { userId_key: { userId, key } }, select: { value: true } }))?.value ?? null;
}
const auditCount = (userId: string, actions: readonly string[]) =>
  t.db.prisma.auditEvent.count({ where: { targetId: userId, action: { in: [...actions] } } });

describe(`${CONCURRENT} concurrent updates with the same expectedVersion`, () => {
  it.for(Object.keys(VIEWS) as View[])('%s: exactly one winner per version, the others 409, nothing lost', async (name, context) => {
    const view = VIEWS[name];
    const user = await createSignedInUser(t.db.prisma, t.config);
    let winners = 0;
    let conflicts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const version = await view.version(user.id);
      const events = await auditCount(user.id, view.actions);
      // Values that pass every view's rules (a language tag is also a fine name and headline).
      const values = Array.from({ length: CONCURRENT }, (_, i) => `en-r${round}w${i}`);
      const answers = await Promise.all(values.map((value) => call('PUT', view.path, user.headers, view.body(value, version))));
      const outcome = winnersAndConflicts(answers);
      expect(outcome, `statuses ${statuses(answers).join(',')}`).toEqual({ winners: 1, conflicts: CONCURRENT - 1 });
      const winner = values[answers.findIndex((answer) => answer.status === 200)];
      // The winner's write is what is stored, under the next version, with exactly one audit event.
      expect(await view.stored(user.id)).toBe(winner);
      expect(await view.version(user.id)).toBe(version + 1);
      expect(await auditCount(user.id, view.actions)).toBe(events + 1);
      for (const answer of answers.filter((a) => a.status === 409)) expect(answer.body).toMatchObject({ code: 'CONFLICT' });
      winners += outcome.winners;
      conflicts += outcome.conflicts;
    }
    expect(winners).toBe(ROUNDS);
    reportFigures(context, {
      inputsTried: ROUNDS * CONCURRENT,
      writesAcknowledged: winners,
      writesFound: (await view.version(user.id)) - 1,
      notes: { rounds: ROUNDS, 'concurrent per round': CONCURRENT, conflicts },
    });
  });

  it('preferences and settings share one version: one winner across both views', async (context) => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const version = await settingsVersion(user.id);
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => {
        const view = VIEWS[i % 2 === 0 ? 'preferences' : 'settings'];
        return call('PUT', view.path, user.headers, view.body(`en-m${i}`, version));
      }),
    );
    expect(winnersAndConflicts(answers)).toEqual({ winners: 1, conflicts: CONCURRENT - 1 });
    expect(await settingsVersion(user.id)).toBe(version + 1);
    reportFigures(context, { inputsTried: CONCURRENT, notes: { winners: 1, conflicts: CONCURRENT - 1 } });
  });
});

describe('versioned read-modify-write from many clients', () => {
  const CLIENTS = 8;
  const INCREMENTS = 3;

  /** Each client adds 1 to a counter INCREMENTS times: read it with its version, write +1, re-read on 409. */
  type Counter = () => Promise<{ count: number; version: number }>;

  async function countConcurrently(read: Counter, write: (count: number, version: number) => Promise<Answer>) {
    let acknowledged = 0;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let done = 0; done < INCREMENTS; ) {
          const { count, version } = await read();
          const answer = await write(count + 1, version);
          if (answer.status === 200) {
            acknowledged++;
            done++;
          } else {
            expect(answer.status, JSON.stringify(answer.body)).toBe(409);
            conflicts++;
          }
        }
      }),
    );
    return { acknowledged, conflicts };
  }

  /** Counts concurrently, then: every acknowledged +1 is in the value, the version and the audit trail. */
  async function expectEveryIncrementKept(
    context: Parameters<typeof reportFigures>[0],
    {
      user,
      read,
      write,
      action,
    }: { user: SignedIn; read: Counter; write: (count: number, version: number) => Promise<Answer>; action: string },
  ) {
    const initial = await read();
    const result = await countConcurrently(read, write);
    const final = await read();
    expect(result.acknowledged).toBe(CLIENTS * INCREMENTS);
    expect(final.count).toBe(initial.count + result.acknowledged);
    expect(final.version).toBe(initial.version + result.acknowledged);
    expect(await auditCount(user.id, [action])).toBe(result.acknowledged);
    reportFigures(context, {
      writesAcknowledged: result.acknowledged,
      writesFound: final.count - initial.count,
      notes: { clients: CLIENTS, conflicts: result.conflicts, 'lost updates': result.acknowledged - (final.count - initial.count) },
    });
  }

  it('settings: every acknowledged increment is in the final value', async (context) => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const read = async () => {
      const answer = await call('GET', '/users/me/settings', user.headers);
      const settings = answer.body.settings as { key: string; value: unknown }[];
      return { count: Number(settings.find((setting) => setting.key === 'ui.page_size')?.value), version: Number(answer.body.version) };
    };
    const write = (count: number, version: number) =>
      call('PUT', '/users/me/settings', user.headers, { settings: [{ key: 'ui.page_size', value: count }], expectedVersion: version });
    await expectEveryIncrementKept(context, { user, read, write, action: 'settings.updated' });
  });

  it('profile: every acknowledged increment is in the final value', async (context) => {
    const user = await createSignedInUser(t.db.prisma, t.config, { fullName: 'count 0' });
    const read = async () => {
      const answer = await call('GET', '/users/me', user.headers);
      return { count: Number(String(answer.body.fullName).replace('count ', '')), version: Number(answer.body.version) };
    };
    const write = (count: number, version: number) =>
      call('PUT', '/users/me', user.headers, { fullName: `count ${count}`, expectedVersion: version });
    await expectEveryIncrementKept(context, { user, read, write, action: 'user.profile_updated' });
  });
});

describe('one email, claimed concurrently', () => {
  it('20 concurrent registrations of one address (in any case and spacing) make one account', async (context) => {
    const local = `race-${randomUUID().slice(0, 8)}`;
    const spellings = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 0 ? `${local}@example.com` : i % 3 === 1 ? ` ${local.toUpperCase()}@Example.COM ` : `${local}@EXAMPLE.com`,
    );
    const answers = await Promise.all(
      spellings.map((email, i) => call('POST', '/auth/register', {}, { email, password: `a long password ${i}`, fullName: `Racer ${i}` })),
    );
    const created = statuses(answers).filter((status) => status === 201).length;
    const conflicts = statuses(answers).filter((status) => status === 409).length;
    expect({ created, conflicts }).toEqual({ created: 1, conflicts: 19 });
    const accounts = await t.db.prisma.user.findMany({ where: { email: `${local}@example.com` }, select: { id: true } });
    expect(accounts).toHaveLength(1);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'auth.register', targetId: accounts[0]!.id } })).toBe(1);
    reportFigures(context, {
      inputsTried: spellings.length,
      writesAcknowledged: created,
      writesFound: accounts.length,
      notes: { conflicts },
    });
  });

  it('10 admins giving 10 users one address at once: one succeeds', async () => {
    const admin = await createSignedInUser(t.db.prisma, t.config, { roles: ['admin'] });
    const targets = await Promise.all(Array.from({ length: 10 }, () => createSignedInUser(t.db.prisma, t.config)));
    const email = `claimed-${randomUUID().slice(0, 8)}@example.com`;
    const answers = await Promise.all(targets.map((target) => call('PUT', `/users/${target.id}`, admin.headers, { email })));
    expect(winnersAndConflicts(answers)).toEqual({ winners: 1, conflicts: 9 });
    expect(await t.db.prisma.user.count({ where: { email } })).toBe(1);
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingDefinitions } from '@ums/contract';
import { applyMigrations, createDb, type Db, migrationsDir } from '@ums/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, withDatabase } from '../support/global-setup.ts';

// The design's migration story, for real: the old key-value user_settings filled with 10,000 rows (good ones,
// non-canonical spellings, wrong types, broken rules, unknown keys), migrated up, every value checked, migrated down
// with down.sql, every value checked again, and migrated up once more.

const USERS = 500;
const SLOTS = 20; // rows per user: 500 × 20 = 10,000
const PROFILE_ZONE = 'Europe/Paris'; // users.timezone of every third user before the migration

type Expected = { kind: 'typed'; typed: unknown; downText?: string } | { kind: 'kept'; reason: RegExp } | { kind: 'zone' }; // a valid time zone: moves to users.timezone unless the profile holds another zone

const typed = (value: unknown, downText?: string): Expected => ({ kind: 'typed', typed: value, downText });
const kept = (reason: RegExp): Expected => ({ kind: 'kept', reason });
const zone: Expected = { kind: 'zone' };

/** Old text values per key, with what the migration must make of each. */
const CASES: Record<string, [raw: string, expected: Expected][]> = {
  theme: [
    ['dark', typed('dark')],
    ['light', typed('light')],
    ['DARK', kept(/^not one of the allowed values$/)],
    [' auto', kept(/allowed values/)],
  ],
  language: [
    ['fr', typed('fr')],
    ['pt-BR', typed('pt-BR')],
    ['x', kept(/^shorter than 2 characters$/)],
    ['english!', kept(/^does not match the pattern/)],
    ['a'.repeat(36), kept(/^longer than 35 characters$/)],
  ],
  timezone: [
    ['America/New_York', zone],
    [PROFILE_ZONE, zone],
    ['UTC', zone],
    ['Mars/Olympus', kept(/^not an IANA time zone$/)],
    ['Europe Paris', kept(/^does not match the pattern/)],
  ],
  date_format: [
    ['DD/MM/YYYY', typed('DD/MM/YYYY')],
    ['dd/mm/yyyy', kept(/allowed values/)],
  ],
  'notifications.email': [
    ['true', typed(true)],
    ['false', typed(false)],
    ['TRUE', typed(true, 'true')],
    [' yes ', typed(true, 'true')],
    ['0', typed(false, 'false')],
    ['maybe', kept(/^not a boolean$/)],
    ['', kept(/^not a boolean$/)],
  ],
  'notifications.sms': [
    ['off', typed(false, 'false')],
    ['on', typed(true, 'true')],
    ['2', kept(/^not a boolean$/)],
  ],
  'notifications.push': [
    ['f', typed(false, 'false')],
    ['T', typed(true, 'true')],
  ],
  'ui.density': [
    ['compact', typed('compact')],
    ['tiny', kept(/allowed values/)],
  ],
  'ui.sidebar_collapsed': [
    ['true', typed(true)],
    ['nope', kept(/^not a boolean$/)],
  ],
  'ui.page_size': [
    ['50', typed(50)],
    [' 042 ', typed(42, '42')],
    ['+100', typed(100, '100')],
    ['5', kept(/^below the minimum 10$/)],
    ['1000', kept(/^above the maximum 100$/)],
    ['12.5', kept(/^not an integer$/)],
    ['abc', kept(/^not an integer$/)],
    ['99999999999999999999', kept(/^not an integer$/)],
  ],
  'ui.font_scale': [
    ['1.25', typed(1.25)],
    ['2', typed(2)],
    ['1e0', typed(1, '1')],
    [' 0.80 ', typed(0.8, '0.80')],
    ['0.5', kept(/^below the minimum 0.75$/)],
    ['NaN', kept(/^not a number$/)],
    ['1.5.1', kept(/^not a number$/)],
  ],
  'ui.accent_color': [
    ['#ff0000', typed('#ff0000')],
    ['red', kept(/^does not match the pattern/)],
  ],
  'ui.time_format': [
    ['12h', typed('12h')],
    ['13h', kept(/allowed values/)],
  ],
  'ui.week_start': [
    ['0', typed(0)],
    ['6', typed(6)],
    ['3', kept(/allowed values/)],
  ],
  'ui.dashboard_widgets': [
    ['["activity","chart"]', typed(['activity', 'chart'])],
    [' [ {"id": "x", "size": 2} ] ', typed([{ id: 'x', size: 2 }])],
    ['[]', kept(/^fewer than 1 items$/)],
    ['{not json', kept(/^not a JSON value$/)],
    ['null', kept(/^not a JSON value$/)],
    ['"activity"', kept(/^not an array or object$/)],
    [JSON.stringify(Array.from({ length: 13 }, (_, i) => i)), kept(/^more than 12 items$/)],
  ],
  'profile.visibility': [
    ['public', typed('public')],
    ['everyone', kept(/allowed values/)],
  ],
  'profile.show_email': [
    ['false', typed(false)],
    ['sometimes', kept(/^not a boolean$/)],
  ],
  'profile.pronouns': [
    ['she/her', typed('she/her')],
    ['', typed('')],
    ['x'.repeat(41), kept(/^longer than 40 characters$/)],
  ],
  'profile.headline': [
    ['Engineer', typed('Engineer')],
    [`It's "quoted" \\ and ünïcödé 🎉`, typed(`It's "quoted" \\ and ünïcödé 🎉`)],
    ['y'.repeat(121), kept(/^longer than 120 characters$/)],
  ],
  'profile.location': [['Paris', typed('Paris')]],
  'profile.website': [
    ['https://example.com', typed('https://example.com')],
    ['http://example.com', kept(/^does not match the pattern/)],
    ['', typed('')],
  ],
  'privacy.analytics': [['false', typed(false)]],
  'privacy.show_online_status': [['1', typed(true, 'true')]],
  'security.session_timeout_minutes': [
    ['30', typed(30)],
    ['4', kept(/^below the minimum 5$/)],
    ['1441', kept(/^above the maximum 1440$/)],
  ],
  'security.login_alerts': [['no', typed(false, 'false')]],
  'communication.digest_frequency': [
    ['daily', typed('daily')],
    ['hourly', kept(/allowed values/)],
  ],
  'communication.marketing_emails': [['yes', typed(true, 'true')]],
  'communication.quiet_hours': [
    ['{"enabled":true,"start":"23:00","end":"06:00"}', typed({ enabled: true, start: '23:00', end: '06:00' })],
    ['[1,2]', typed([1, 2])],
    ['{"a":1,"b":2,"c":3,"d":4}', kept(/^more than 3 items$/)],
  ],
  'accessibility.reduced_motion': [['true', typed(true)]],
  'accessibility.high_contrast': [['false', typed(false)]],
  'legacy.color': [['blue', kept(/^unknown key$/)]],
  beta_features: [['["x"]', kept(/^unknown key$/)]],
  'old.flag': [['true', kept(/^unknown key$/)]],
  nickname: [['Bob', kept(/^unknown key$/)]],
  'weird key with spaces': [['value', kept(/^unknown key$/)]],
  'emoji.🎉': [['🎉', kept(/^unknown key$/)]],
};
const KEYS = Object.keys(CASES);

interface OldRow {
  id: string;
  userId: string;
  key: string;
  raw: string;
  expected: Expected;
}

interface Fixture {
  users: { id: string; email: string; timezone: string | null }[];
  rows: OldRow[];
}

function buildFixture(): Fixture {
  const users = Array.from({ length: USERS }, (_, u) => ({
    id: randomUUID(),
    email: `migrated-${u}@settings.example`,
    timezone: u % 3 === 0 ? PROFILE_ZONE : null,
  }));
  const rows: OldRow[] = [];
  const uses = new Map<string, number>();
  users.forEach((user, u) => {
    for (let slot = 0; slot < SLOTS; slot++) {
      // Consecutive keys of the pool: distinct per user, as the old unique (user_id, key) index demands.
      const key = KEYS[(u + slot) % KEYS.length]!;
      const cases = CASES[key]!;
      // Each key cycles through its cases, so every case is used many times.
      const use = uses.get(key) ?? 0;
      uses.set(key, use + 1);
      const [raw, expected] = cases[use % cases.length]!;
      rows.push({ id: randomUUID(), userId: user.id, key, raw, expected });
    }
  });
  return { users, rows };
}

/** What a time zone row becomes, given the profile's zone before the migration. */
const zoneOutcome = (row: OldRow, profileZone: string | null) => (profileZone === null || profileZone === row.raw ? 'moved' : 'kept');

// --- The database under test: a fresh one, on PGlite or (TEST_DATABASE_URL) on the PostgreSQL server ----------

interface Subject {
  db: Db;
  /** Runs a multi-statement script as one implicit transaction (simple query protocol), as psql -f would. */
  runScript(sql: string): Promise<void>;
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function openSubject(): Promise<Subject> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `ums_settings_migration_${randomBytes(6).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    const url = withDatabase(serverUrl, name);
    const db = await createDb(url, { poolSize: 2 });
    return {
      db,
      runScript: async (sql) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      },
      query: (sql, ...params) => db.prisma.$queryRawUnsafe(sql, ...params),
      close: async () => {
        await db.close();
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const db = await createDb('pglite:memory');
  return {
    db,
    runScript: async (sql) => {
      await db.pglite!.exec(sql);
    },
    query: (sql, ...params) => db.prisma.$queryRawUnsafe(sql, ...params),
    close: () => db.close(),
  };
}

// --- Reading the database back --------------------------------------------------------------------------------

interface StructuredRow {
  id: string;
  user_id: string;
  key: string;
  value_json: string;
  setting_type: string;
  category: string;
  description: string;
  is_public: boolean;
  validation_rules: string;
}

const readStructured = (subject: Subject) =>
  subject.query<StructuredRow>(
    `SELECT id::text, user_id::text, key, value::text AS value_json, setting_type::text, category, description, is_public,
            validation_rules::text
       FROM user_settings`,
  );

interface ReportRow {
  setting_id: string;
  user_id: string;
  key: string;
  original_value: string;
  outcome: string;
  reason: string;
}

const readReport = (subject: Subject) =>
  subject.query<ReportRow>(
    'SELECT setting_id::text, user_id::text, key, original_value, outcome, reason FROM migration_reports.structured_settings',
  );

const readProfileZones = async (subject: Subject) =>
  new Map(
    (
      await subject.query<{ id: string; timezone: string | null }>(
        `SELECT id::text, timezone FROM users WHERE email LIKE '%@settings.example'`,
      )
    ).map((user) => [user.id, user.timezone]),
  );

const mapById = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));

// --- The test ---------------------------------------------------------------------------------------------------

const migrationFolders = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const initFolder = migrationFolders[0]!;
const structuredFolder = migrationFolders.find((name) => name.endsWith('_structured_settings'))!;
const downSql = readFileSync(join(migrationsDir, structuredFolder, 'down.sql'), 'utf8');

let subject: Subject;
let fixture: Fixture;
let firstDir: string;
// The history up to and including this migration: later migrations are not this test's subject.
let throughStructuredDir: string;

beforeAll(async () => {
  fixture = buildFixture();
  firstDir = mkdtempSync(join(tmpdir(), 'ums-first-migration-'));
  cpSync(join(migrationsDir, initFolder), join(firstDir, initFolder), { recursive: true });
  cpSync(join(migrationsDir, 'migration_lock.toml'), join(firstDir, 'migration_lock.toml'));
  throughStructuredDir = mkdtempSync(join(tmpdir(), 'ums-through-structured-'));
  for (const folder of migrationFolders.filter((name) => name <= structuredFolder)) {
    cpSync(join(migrationsDir, folder), join(throughStructuredDir, folder), { recursive: true });
  }
  cpSync(join(migrationsDir, 'migration_lock.toml'), join(throughStructuredDir, 'migration_lock.toml'));
  subject = await openSubject();
  expect(await applyMigrations(subject.db.adapter, firstDir)).toEqual([initFolder]);

  await subject.db.prisma.$executeRawUnsafe(
    `INSERT INTO users (id, email, password_hash, timezone)
     SELECT x.id, x.email, 'not-a-real-hash', x.timezone FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, email text, timezone text)`,
    JSON.stringify(fixture.users),
  );
  await subject.db.prisma.$executeRawUnsafe(
    `INSERT INTO user_settings (id, user_id, key, value)
     SELECT x.id, x.user_id, x.key, x.value FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, user_id uuid, key text, value text)`,
    JSON.stringify(fixture.rows.map((row) => ({ id: row.id, user_id: row.userId, key: row.key, value: row.raw }))),
  );
}, 300_000);

afterAll(async () => {
  await subject?.close();
  rmSync(firstDir, { recursive: true, force: true });
  rmSync(throughStructuredDir, { recursive: true, force: true });
});

describe('the structured_settings migration', () => {
  it('starts from 10,000 old rows covering every case', async () => {
    expect(await subject.query('SELECT count(*)::int AS count FROM user_settings')).toEqual([{ count: 10_000 }]);
    const used = new Set(fixture.rows.map((row) => `${row.key}\u0000${row.raw}`));
    for (const [key, cases] of Object.entries(CASES))
      for (const [raw] of cases) expect(used.has(`${key}\u0000${raw}`), `${key}=${raw}`).toBe(true);
    const profileZone = new Map(fixture.users.map((user) => [user.id, user.timezone]));
    const zoneRows = fixture.rows.filter((row) => row.expected.kind === 'zone');
    const outcomes = new Set(zoneRows.map((row) => `${row.raw}:${zoneOutcome(row, profileZone.get(row.userId) ?? null)}`));
    expect(outcomes).toEqual(
      new Set(['America/New_York:moved', 'America/New_York:kept', 'UTC:moved', 'UTC:kept', `${PROFILE_ZONE}:moved`]),
    );
  });

  it('migrates up: every value typed from the catalog, or kept as a string and reported; none dropped', async () => {
    expect(await applyMigrations(subject.db.adapter, throughStructuredDir)).toContain(structuredFolder);
    await expectMigratedState(fixture);

    // A profile that received its time zone got a new version; no other profile changed.
    const movedInto = new Set(
      fixture.rows
        .filter((row) => row.expected.kind === 'zone' && fixture.users.find((user) => user.id === row.userId)?.timezone === null)
        .map((row) => row.userId),
    );
    const versions = await subject.query<{ id: string; version: number }>(
      `SELECT id::text, version FROM users WHERE email LIKE '%@settings.example'`,
    );
    expect(movedInto.size).toBeGreaterThan(0);
    for (const user of versions) expect(user.version, user.id).toBe(movedInto.has(user.id) ? 2 : 1);
  }, 300_000);

  it('migrates down with down.sql to the simple shape, every value back to text', async () => {
    await subject.runScript(downSql);

    const columns = await subject.query<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
      `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'user_settings' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'uuid', is_nullable: 'NO', column_default: null },
      { column_name: 'user_id', data_type: 'uuid', is_nullable: 'NO', column_default: null },
      { column_name: 'key', data_type: 'text', is_nullable: 'NO', column_default: null },
      { column_name: 'value', data_type: 'text', is_nullable: 'NO', column_default: null },
    ]);
    const leftovers = await subject.query<{ name: string | null }>(
      `SELECT to_regclass('public.settings_catalog')::text AS name
       UNION ALL SELECT to_regtype('public.setting_type')::text
       UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname = 'migration_reports'`,
    );
    expect(leftovers).toEqual([{ name: null }, { name: null }]);
    const recorded = await subject.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(recorded.map((row) => row.migration_name)).toEqual([initFolder]);

    const rows = mapById(
      await subject.query<{ id: string; user_id: string; key: string; value: string }>(
        'SELECT id::text, user_id::text, key, value FROM user_settings',
      ),
    );
    expect(rows.size).toBe(10_000);
    for (const old of fixture.rows) {
      const row = rows.get(old.id);
      const where = `${old.key}=${JSON.stringify(old.raw)}`;
      expect(row, where).toBeDefined();
      expect([row?.user_id, row?.key], where).toEqual([old.userId, old.key]);
      const text = row?.value ?? '';
      if (old.expected.kind === 'typed') {
        const definition = settingDefinitions.get(old.key)!;
        if (definition.settingType === 'json') expect(JSON.parse(text), where).toEqual(old.expected.typed);
        else
          expect(text, where).toBe(old.expected.downText ?? (definition.settingType === 'string' ? old.raw : String(old.expected.typed)));
      } else {
        // Kept values and time zones come back exactly as they were.
        expect(text, where).toBe(old.raw);
      }
    }
  }, 300_000);

  it('migrates up again after down, to the same result', async () => {
    // Time zones the first run moved came back as rows holding the profile's zone, so they move again.
    expect(await applyMigrations(subject.db.adapter, throughStructuredDir)).toEqual([structuredFolder]);
    await expectMigratedState(fixture);
  }, 300_000);
});

/** Checks every row after a migration up, against the fixture's expectations and its profile zones before the first run. */
async function expectMigratedState(given: Fixture) {
  const profileBefore = new Map(given.users.map((user) => [user.id, user.timezone]));
  const rows = mapById(await readStructured(subject));
  const report = new Map((await readReport(subject)).map((entry) => [entry.setting_id, entry]));
  const zonesAfter = await readProfileZones(subject);
  let moved = 0;
  let keptCount = 0;

  for (const old of given.rows) {
    const where = `${old.key}=${JSON.stringify(old.raw)}`;
    const row = rows.get(old.id);
    const entry = report.get(old.id);
    const definition = settingDefinitions.get(old.key);

    if (old.expected.kind === 'zone' && zoneOutcome(old, profileBefore.get(old.userId) ?? null) === 'moved') {
      moved++;
      expect(row, `${where} moved to the profile`).toBeUndefined();
      expect(entry, where).toMatchObject({ user_id: old.userId, key: 'timezone', original_value: old.raw, outcome: 'moved_to_profile' });
      expect(zonesAfter.get(old.userId), where).toBe(old.raw);
      continue;
    }
    expect(row, where).toBeDefined();
    if (!row) continue;
    expect([row.user_id, row.key], where).toEqual([old.userId, old.key]);

    if (old.expected.kind === 'typed') {
      expect(entry, where).toBeUndefined();
      expect(JSON.parse(row.value_json), where).toEqual(old.expected.typed);
      expect(
        {
          type: row.setting_type,
          category: row.category,
          description: row.description,
          isPublic: row.is_public,
          rules: JSON.parse(row.validation_rules),
        },
        where,
      ).toEqual({
        type: definition?.settingType,
        category: definition?.category,
        description: definition?.description,
        isPublic: definition?.isPublic,
        rules: definition?.validationRules,
      });
      continue;
    }
    // Kept: the original text as a string setting, private, with the reason in the row and in the report.
    keptCount++;
    const reason = old.expected.kind === 'kept' ? old.expected.reason : /^users\.timezone already holds another zone$/;
    expect(JSON.parse(row.value_json), where).toBe(old.raw);
    expect(row.setting_type, where).toBe('string');
    expect(row.category, where).toBe(definition?.category ?? 'uncategorized');
    expect(row.is_public, where).toBe(false);
    expect(JSON.parse(row.validation_rules), where).toEqual({});
    expect(row.description, where).toMatch(/^Kept as text by the structured_settings migration: /);
    expect(row.description.replace(/^Kept as text by the structured_settings migration: /, ''), where).toMatch(reason);
    expect(entry, where).toMatchObject({ user_id: old.userId, key: old.key, original_value: old.raw, outcome: 'kept_as_string' });
    expect(entry?.reason, where).toMatch(reason);
  }

  expect(rows.size).toBe(10_000 - moved);
  expect(report.size).toBe(keptCount + moved);
  expect(moved).toBeGreaterThan(0);
  expect(keptCount).toBeGreaterThan(1000);
}

import { applyMigrations, createDb } from '@ums/db';
import { seedDatabase } from '@ums/server';
import type pg from 'pg';
import { withIndexesDeferred } from './bulk-load.ts';

/** Every seeded user signs in with this password (one argon2 hash, computed once, shared by all rows). */
export const BENCH_PASSWORD = 'bench-password-do-not-use';

/** The user's sequence number, kept in the email (`first.last.<n>@domain`) so identities can be picked by it. */
export const ORDINAL_SQL = `(substring(u.email from '\\.([0-9]+)@'))::int`;

/** Every 1000th user is an admin, every 50th (offset 7) deactivated; the two never coincide. */
const IS_ADMIN_SQL = `${ORDINAL_SQL} % 1000 = 0`;

// biome-ignore format: a word list reads better packed
const FIRST_NAMES = [
  'Alice', 'Bob', 'Carol', 'David', 'Emma', 'Frank', 'Grace', 'Henry', 'Isabel', 'Jack', 'Karen', 'Liam', 'Maria', 'Noah', 'Olivia',
  'Peter', 'Quinn', 'Rachel', 'Samuel', 'Tina', 'Umar', 'Vera', 'Walter', 'Xenia', 'Yusuf', 'Zoe', 'Amir', 'Beatriz', 'Chen', 'Dmitri',
  'Elena', 'Fatima', 'Giorgio', 'Hana', 'Ivan', 'Jun', 'Kofi', 'Lucia', 'Mateo', 'Nadia', 'Oscar', 'Priya', 'Rafael', 'Sofia', 'Tariq',
  'Ulla', 'Viktor', 'Wei', 'Yara', 'Zainab', 'Anders', 'Bianca', 'Carlos', 'Daria', 'Emil', 'Freya', 'Gustav', 'Helga', 'Ines', 'Jonas',
];
// biome-ignore format: a word list reads better packed
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez',
  'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris',
  'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill',
  'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Müller', 'Schmidt',
  'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Tanaka', 'Suzuki', 'Sato', 'Watanabe', 'Kim',
  'Park', 'Choi', 'Singh', 'Kumar', 'Patel', 'Shah', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Dubois', 'Laurent', 'Moreau',
  'Lefebvre',
];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example', 'test.example', 'acme.example', 'globex.example'];

// biome-ignore format: a word list reads better packed
const AUDIT_ACTIONS = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'auth.refresh', 'auth.password_changed', 'user.registered', 'user.updated',
  'user.deactivated', 'user.reactivated', 'user.roles_set', 'preferences.updated', 'settings.updated', 'role.updated',
];

/** The schema as the server expects it: migrations applied, then what must exist (permissions, built-in roles). */
export async function prepareSchema(url: string): Promise<void> {
  const db = await createDb(url, { poolSize: 2 });
  try {
    await applyMigrations(db.adapter);
    await seedDatabase({ db });
  } finally {
    await db.close();
  }
}

export interface BulkSeedOptions {
  users: number;
  auditEvents: number;
  passwordHash: string;
  log: (line: string) => void;
}

/** Users, roles, one session each and the audit trail, set-based (generate_series): seconds, not minutes. */
export async function seedBulk(client: pg.Client, { users, auditEvents, passwordHash, log }: BulkSeedOptions): Promise<void> {
  await client.query('SET synchronous_commit = off');
  await client.query(`SET maintenance_work_mem = '256MB'`);

  const started = performance.now();
  await withIndexesDeferred(client, ['users', 'user_roles', 'sessions', 'audit_events'], async () => {
    await insertUsers(client, users, passwordHash);
    log(`  ${users.toLocaleString('en')} users with roles and one session each: ${seconds(started)}`);
    await insertAuditEvents(client, users, auditEvents);
    log(`  ${auditEvents.toLocaleString('en')} audit events: ${seconds(started)}`);
  });
  log(`  indexes built: ${seconds(started)}`);
}

async function insertUsers(client: pg.Client, users: number, passwordHash: string): Promise<void> {
  await client.query(
    `INSERT INTO users (id, email, password_hash, full_name, timezone, locale, is_active, created_at, updated_at, last_login_at,
                        deactivated_at, deactivation_reason)
     SELECT gen_random_uuid(), lower(s.first || '.' || s.last || '.' || s.i || '@' || s.domain), $1, s.first || ' ' || s.last,
            (ARRAY['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'])[1 + s.i % 5],
            (ARRAY['en', 'de', 'en-US', 'ja', 'fr'])[1 + s.i % 5],
            s.i % 50 <> 7, s.at, s.at,
            CASE WHEN s.i % 3 = 0 THEN NULL ELSE s.at + make_interval(secs => (s.i::bigint * 104729) % 2592000) END,
            CASE WHEN s.i % 50 = 7 THEN s.at + interval '1 day' END,
            CASE WHEN s.i % 50 = 7 THEN 'bench: seeded inactive' END
       FROM (SELECT i,
                    ($2::text[])[1 + i % cardinality($2::text[])] AS first,
                    ($3::text[])[1 + (i / cardinality($2::text[])) % cardinality($3::text[])] AS last,
                    ($4::text[])[1 + i % cardinality($4::text[])] AS domain,
                    now() - make_interval(secs => ($5::int - i) * 300 + (i::bigint * 7919) % 300) AS at
               FROM generate_series(1, $5::int) AS i) AS s`,
    [passwordHash, FIRST_NAMES, LAST_NAMES, DOMAINS, users],
  );
  await client.query(
    `INSERT INTO user_roles (user_id, role_id)
     SELECT u.id, r.id FROM users u JOIN roles r ON r.name = 'user'
     UNION ALL
     SELECT u.id, r.id FROM users u JOIN roles r ON r.name = 'admin' WHERE ${IS_ADMIN_SQL}`,
  );
  await client.query(
    `INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, ip, user_agent)
     SELECT gen_random_uuid(), u.id, now(), now(), now() + interval '30 days', '127.0.0.1', 'ums-bench' FROM users u`,
  );
}

async function insertAuditEvents(client: pg.Client, users: number, auditEvents: number): Promise<void> {
  // Numbered users and admins, so random picks become cheap hash joins.
  await client.query('CREATE TEMP TABLE bench_users AS SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM users');
  await client.query(
    `CREATE TEMP TABLE bench_admins AS SELECT row_number() OVER (ORDER BY u.id)::int AS n, u.id FROM users u WHERE ${IS_ADMIN_SQL}`,
  );
  const admins = Number((await client.query<{ count: string }>('SELECT count(*) FROM bench_admins')).rows[0]?.count ?? 0);
  const chunk = 250_000;
  for (let offset = 0; offset < auditEvents; offset += chunk) {
    // 30 % by an admin about someone, 60 % by a user about themselves, 10 % by the system; spread over a year.
    await client.query(
      `WITH ev AS (
         INSERT INTO audit_events (id, at, actor_id, action, target_type, target_id, request_id)
         SELECT gen_random_uuid(), now() - g.age * interval '365 days',
                CASE WHEN g.kind < 0.3 THEN a.id WHEN g.kind < 0.9 THEN t.id END,
                ($1::text[])[1 + g.action], 'user', t.id::text, 'bench-' || g.i
           FROM (SELECT i, random() AS age, random() AS kind, floor(random() * cardinality($1::text[]))::int AS action,
                        1 + floor(random() * $2::int)::int AS target, 1 + floor(random() * $3::int)::int AS admin
                   FROM generate_series($4::int + 1, $4::int + $5::int) AS i) AS g
           JOIN bench_users t ON t.n = g.target
           JOIN bench_admins a ON a.n = g.admin
         RETURNING id, actor_id, target_id, request_id
       )
       -- Each event's personal parts, as the service writes them (queries/audit.ts).
       INSERT INTO audit_event_personal_data (event_id, part, subject_id, data)
       SELECT id, 'changes', target_id::uuid, jsonb_build_object('fullName', jsonb_build_object('from', 'Old Name', 'to', 'New Name')) FROM ev
       UNION ALL
       SELECT id, 'request', COALESCE(actor_id, target_id::uuid),
              jsonb_build_object('ip', '10.' || (hashtext(request_id) & 255) || '.0.1', 'userAgent', 'ums-bench/1.0') FROM ev`,
      [AUDIT_ACTIONS, users, admins, offset, Math.min(chunk, auditEvents - offset)],
    );
  }
}

/**
 * What autovacuum would do in the minutes after a bulk load, done before measuring rather than during it: fresh
 * planner statistics (or the first scenarios measure bad plans) and the visibility map that lets index-only scans
 * skip the table (users.list's keyset walk). Then a checkpoint, so the gigabyte the load and VACUUM dirtied is on
 * disk before the first scenario rather than written out during it; skipped if the role may not (PostgreSQL 15
 * allows superusers and pg_checkpoint members).
 */
export async function vacuumAnalyze(client: pg.Client): Promise<void> {
  await client.query('VACUUM ANALYZE');
  await client.query('CHECKPOINT').catch((error: unknown) => {
    // 42501 insufficient_privilege: measure without it rather than fail the run.
    if (!(error instanceof Error && 'code' in error && error.code === '42501')) throw error;
  });
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

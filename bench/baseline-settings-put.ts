// The floor of `PUT /api/v1/users/me/settings`: the statements the service sends for it, written out by hand and
// prepared (named), with the same response fields — no tRPC, zod, Prisma or hooks. The service's write is one
// statement (version check, upserts, audit event, webhook deliveries), which is its own transaction; the bare
// handler sends that same statement rather than wrapping the three in BEGIN/COMMIT, which the service does not do.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

type Claims = { sub: string; sid: string };

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const HAS_SECOND_FACTOR =
  '(EXISTS (SELECT 1 FROM mfa_totp_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) OR EXISTS (SELECT 1 FROM passkeys pk WHERE pk.user_id = u.id))';
const USER_PROJECTION = `u.id AS "id", u.email AS "email", u.full_name AS "fullName", u.phone_number AS "phoneNumber",
  u.timezone AS "timezone", u.locale AS "locale", u.avatar_url AS "avatarUrl", u.bio AS "bio", u.is_active AS "isActive",
  ARRAY(SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id ORDER BY r.name) AS "roles",
  ${iso('u.created_at')} AS "createdAt", ${iso('u.updated_at')} AS "updatedAt", ${iso('u.last_login_at')} AS "lastLoginAt",
  ${iso('u.deactivated_at')} AS "deactivatedAt", ${iso('u.email_verified_at')} AS "emailVerifiedAt",
  ${HAS_SECOND_FACTOR} AS "mfaEnabled", u.version AS "version"`;

// The service's session check (findLiveSession): the session, its user, the MFA-enrolment flag and the permissions.
const SESSION_SQL = `
  SELECT s.last_used_at AS "sessionLastUsedAt", s.authenticated_at AS "authenticatedAt", ${USER_PROJECTION},
         (EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.require_mfa)
          AND NOT ${HAS_SECOND_FACTOR}) AS "mfaEnrolmentRequired",
         ARRAY(SELECT DISTINCT rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                WHERE ur.user_id = u.id) AS permissions
    FROM sessions s JOIN users u ON u.id = s.user_id AND u.is_active
   WHERE s.id = $1::uuid AND s.revoked_at IS NULL AND s.expires_at > now()`;
const TOUCH_SQL = 'UPDATE sessions SET last_used_at = now() WHERE id = $1::uuid';

// The service's settings read (findSettingsState).
const STATE_SQL = `
  SELECT u.settings_version AS "settingsVersion", u.timezone, u.is_active AS "isActive",
         COALESCE((SELECT json_agg(json_build_object('key', s.key, 'value', s.value, 'settingType', s.setting_type, 'isPublic', s.is_public))
                     FROM user_settings s WHERE s.user_id = u.id), '[]'::json) AS settings
    FROM users u WHERE u.id = $1::uuid`;

// The service's write (writeSettingsBatch with a webhook subject, as settings.updated is user.updated).
const writeSql = (changesTimezone: boolean) => {
  const n = changesTimezone ? 1 : 0;
  const p = (index: number) => `$${index + n}`;
  return `
  WITH claimed AS (
    UPDATE users SET settings_version = settings_version + 1 ${changesTimezone ? ', timezone = $1, version = version + 1, updated_at = now()' : ''}
     WHERE id = ${p(1)}::uuid AND settings_version = ${p(2)}
    RETURNING *
  ), upserted AS (
    INSERT INTO user_settings (user_id, key, value, setting_type, category, description, is_public, validation_rules)
    SELECT ${p(1)}::uuid, x.key, x.value, c.setting_type, c.category, c.description, x.is_public, c.validation_rules
      FROM jsonb_to_recordset(${p(3)}::jsonb) AS x(key text, value jsonb, is_public boolean)
      LEFT JOIN settings_catalog c ON c.key = x.key
     WHERE EXISTS (SELECT 1 FROM claimed)
    ON CONFLICT (user_id, key) DO UPDATE
       SET (value, setting_type, category, description, is_public, validation_rules, updated_at) =
           (EXCLUDED.value, EXCLUDED.setting_type, EXCLUDED.category, EXCLUDED.description, EXCLUDED.is_public,
            EXCLUDED.validation_rules, now())
  ), audited AS (
    INSERT INTO audit_events (id, actor_id, request_id, action, target_type, target_id)
    SELECT ${p(4)}::uuid, ${p(1)}::uuid, ${p(7)}, 'settings.updated', 'user', ${p(1)}
     WHERE EXISTS (SELECT 1 FROM claimed)
    RETURNING id, at
  ), audited_personal AS (
    -- The event's personal parts, beside it (audit_event_personal_data), as the service writes them.
    INSERT INTO audit_event_personal_data (event_id, part, subject_id, data)
    SELECT a.id, 'request', ${p(1)}::uuid, jsonb_build_object('ip', ${p(5)}::text, 'userAgent', ${p(6)}::text) FROM audited a
    UNION ALL
    SELECT a.id, 'changes', ${p(1)}::uuid, ${p(8)}::jsonb FROM audited a
  ), webhooks AS (
    INSERT INTO outbox (id, kind, payload, order_key)
    SELECT gen_random_uuid(), 'webhook',
           jsonb_build_object('endpointId', e.id, 'eventId', a.id, 'type', 'user.updated', 'subject', 'user:' || ${p(1)},
                              'body', jsonb_build_object('type', 'user.updated', 'timestamp', ${iso('a.at')}, 'data', d.data)::text),
           e.id::text || ':user:' || ${p(1)}
      FROM audited a
     CROSS JOIN (SELECT (SELECT to_jsonb(x) FROM (SELECT ${USER_PROJECTION} FROM claimed u WHERE u.id = ${p(1)}::uuid) x) AS data) d
      JOIN webhook_endpoints e ON e.enabled AND e.events && ARRAY['user.updated', '*']
     ORDER BY e.id)
  SELECT settings_version AS version FROM claimed`;
};

interface CatalogRow {
  key: string;
  setting_type: string;
  category: string;
  description: string;
  default_value: unknown;
  validation_rules: unknown;
  is_public: boolean;
}
interface StoredSetting {
  key: string;
  value: unknown;
  settingType: string;
  isPublic: boolean;
}
interface StateRow {
  settingsVersion: number;
  timezone: string | null;
  isActive: boolean;
  settings: StoredSetting[];
}
interface SettingsBody {
  settings?: Array<{ key?: unknown; value?: unknown; isPublic?: unknown }>;
}

const TIMEZONE = 'timezone';
const SESSION_TOUCH_INTERVAL_MS = 60_000;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `PUT /api/v1/users/me/settings` on the bare server. */
export function registerSettingsPut(
  app: FastifyInstance,
  pool: pg.Pool,
  verifiedClaims: (authorization: string | undefined) => Claims | null,
) {
  // The catalog is static for a run: read once, as the service holds it in code.
  let catalog: Promise<CatalogRow[]> | undefined;
  const loadCatalog = () =>
    (catalog ??= pool
      .query<CatalogRow>(
        'SELECT key, setting_type, category, description, default_value, validation_rules, is_public FROM settings_catalog ORDER BY position',
      )
      .then((result) => result.rows));

  app.put<{ Body: SettingsBody }>('/api/v1/users/me/settings', async (request, reply) => {
    const claims = verifiedClaims(request.headers.authorization);
    if (!claims) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Not signed in' });
    const { rows: sessions } = await pool.query<{ id: string; sessionLastUsedAt: Date }>({
      name: 'settings_session',
      text: SESSION_SQL,
      values: [claims.sid],
    });
    const session = sessions[0];
    if (session?.id !== claims.sub.toLowerCase()) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Not signed in' });
    if (Date.now() - session.sessionLastUsedAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
      await pool.query({ name: 'settings_touch', text: TOUCH_SQL, values: [claims.sid] });
    }

    const definitions = await loadCatalog();
    const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
    const changes = request.body?.settings ?? [];
    for (const change of changes) {
      if (typeof change.key !== 'string' || !byKey.has(change.key))
        return reply.code(400).send({ code: 'BAD_REQUEST', message: 'unknown setting key' });
    }

    const { rows: states } = await pool.query<StateRow>({ name: 'settings_state', text: STATE_SQL, values: [session.id] });
    const state = states[0];
    if (!state) return reply.code(404).send({ code: 'NOT_FOUND', message: 'User not found' });
    const stored = new Map(state.settings.map((row) => [row.key, row]));
    const effective = (definition: CatalogRow) => {
      if (definition.key === TIMEZONE)
        return { value: state.timezone ?? definition.default_value, isPublic: definition.is_public, isDefault: state.timezone === null };
      const row = stored.get(definition.key);
      return row && row.settingType === definition.setting_type
        ? { value: row.value, isPublic: row.isPublic, isDefault: false }
        : { value: definition.default_value, isPublic: definition.is_public, isDefault: true };
    };

    const audited: Record<string, { from: unknown; to: unknown }> = {};
    const rows: Array<{ key: string; value: unknown; is_public: boolean }> = [];
    let timezone = state.timezone;
    for (const change of changes) {
      const definition = byKey.get(change.key as string) as CatalogRow;
      const current = effective(definition);
      const isPublic = typeof change.isPublic === 'boolean' ? change.isPublic : current.isPublic;
      if (!same(current.value, change.value)) audited[definition.key] = { from: current.value, to: change.value };
      if (isPublic !== current.isPublic) audited[`${definition.key}:isPublic`] = { from: current.isPublic, to: isPublic };
      if (definition.key === TIMEZONE) timezone = String(change.value);
      else {
        rows.push({ key: definition.key, value: change.value, is_public: isPublic });
        stored.set(definition.key, { key: definition.key, value: change.value, settingType: definition.setting_type, isPublic });
      }
    }

    const changesTimezone = timezone !== state.timezone;
    const values = [
      session.id,
      state.settingsVersion,
      JSON.stringify(rows),
      randomUUID(),
      request.ip,
      request.headers['user-agent']?.slice(0, 512) ?? null,
      String(request.id),
      JSON.stringify(audited),
    ];
    const { rows: written } = await pool.query<{ version: number }>({
      name: changesTimezone ? 'settings_write_tz' : 'settings_write',
      text: writeSql(changesTimezone),
      values: changesTimezone ? [timezone, ...values] : values,
    });
    const version = written[0]?.version;
    if (version === undefined) return reply.code(409).send({ code: 'CONFLICT', message: 'Settings changed meanwhile' });
    state.timezone = timezone;
    return {
      settings: definitions.map((definition) => {
        const { value, isPublic, isDefault } = effective(definition);
        return {
          key: definition.key,
          value,
          settingType: definition.setting_type,
          category: definition.category,
          description: definition.description,
          isPublic,
          validationRules: definition.validation_rules,
          isDefault,
        };
      }),
      version,
    };
  });
}

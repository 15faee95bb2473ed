import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';
import { type AuditEventInsert, auditedEventCtes } from './audit.ts';
import { subjectDataSql, type WebhookEventSubject, webhookDeliveriesInsert } from './webhook-events.ts';

export interface StoredSettingRow {
  key: string;
  value: Prisma.JsonValue;
  settingType: string;
  isPublic: boolean;
}

/** What a user has stored for the settings views: their settings version, the profile timezone and the rows. */
export interface SettingsStateRow {
  isActive: boolean;
  settingsVersion: number;
  /** users.timezone: the `timezone` setting lives there. */
  timezone: string | null;
  settings: StoredSettingRow[];
}

const settingsStateColumns = Prisma.raw(`
  u.settings_version AS "settingsVersion", u.timezone, u.is_active AS "isActive",
  COALESCE(
    (SELECT json_agg(json_build_object('key', s.key, 'value', s.value, 'settingType', s.setting_type, 'isPublic', s.is_public))
       FROM user_settings s WHERE s.user_id = u.id),
    '[]'::json) AS settings`);

/** The user's settings state, or null for an unknown user: one query. */
export async function findSettingsState(db: DbHandle, userId: string): Promise<SettingsStateRow | null> {
  const [row] = await db.query<SettingsStateRow>(Prisma.sql`SELECT ${settingsStateColumns} FROM users u WHERE u.id = ${userId}::uuid`);
  return row ?? null;
}

export interface PublicProfileRow extends SettingsStateRow {
  id: string;
  fullName: string | null;
  avatarUrl: string | null;
  bio: string | null;
}

/** The public profile fields with the settings state they are shown with, or null for an unknown user. */
export async function findPublicProfile(db: DbHandle, userId: string): Promise<PublicProfileRow | null> {
  const [row] = await db.query<PublicProfileRow>(Prisma.sql`
    SELECT u.id, u.full_name AS "fullName", u.avatar_url AS "avatarUrl", u.bio, ${settingsStateColumns}
      FROM users u
     WHERE u.id = ${userId}::uuid`);
  return row ?? null;
}

export async function findSettingsVersion(db: DbHandle, userId: string): Promise<number | null> {
  const [row] = await db.query<{ version: number }>(Prisma.sql`SELECT settings_version AS version FROM users WHERE id = ${userId}::uuid`);
  return row?.version ?? null;
}

/** A row to write; its type, category, description and rules are copied from the catalog table by the statement. */
export interface SettingRowWrite {
  key: string;
  value: unknown;
  is_public: boolean;
}

export interface SettingsBatchWrite {
  userId: string;
  /** The settings version read: the write applies only while it is still the current one. */
  readVersion: number;
  /** A new profile timezone, when the batch changes it (it moves the profile's version too). */
  timezone?: string | null | undefined;
  rows: readonly SettingRowWrite[];
  audit: AuditEventInsert;
  /** The webhook event the write emits, delivered to each subscribed endpoint (written by the same statement). */
  webhook: WebhookEventSubject | null;
}

/**
 * One statement: bump the settings version only if it is still the one read (also locking the user's row, so a
 * concurrent writer waits and then finds the version moved), and — only then — upsert every row of the batch (its
 * catalog columns copied from settings_catalog) and insert the audit event and its webhook deliveries (whose data
 * is the user as the update left them: read from the updated row, which the statement's snapshot does not see). Returns the new settings version, or
 * null when the version had moved and nothing was written.
 */
export async function writeSettingsBatch(db: DbHandle, write: SettingsBatchWrite): Promise<number | null> {
  const { userId } = write;
  const profileChange =
    write.timezone === undefined ? Prisma.empty : Prisma.sql`, timezone = ${write.timezone}, version = version + 1, updated_at = now()`;
  const [claimed] = await db.query<{ version: number }>(Prisma.sql`
    WITH claimed AS (
      UPDATE users SET settings_version = settings_version + 1 ${profileChange}
       WHERE id = ${userId}::uuid AND settings_version = ${write.readVersion}
      RETURNING *
    ), upserted AS (
      INSERT INTO user_settings (user_id, key, value, setting_type, category, description, is_public, validation_rules)
      SELECT ${userId}::uuid, x.key, x.value, c.setting_type, c.category, c.description, x.is_public, c.validation_rules
        FROM jsonb_to_recordset(${JSON.stringify(write.rows)}::jsonb) AS x(key text, value jsonb, is_public boolean)
        -- A key the catalog table lacks leaves the NOT NULL columns empty: the statement fails, nothing is written.
        LEFT JOIN settings_catalog c ON c.key = x.key
       WHERE EXISTS (SELECT 1 FROM claimed)
      ON CONFLICT (user_id, key) DO UPDATE
         SET (value, setting_type, category, description, is_public, validation_rules, updated_at) =
             (EXCLUDED.value, EXCLUDED.setting_type, EXCLUDED.category, EXCLUDED.description, EXCLUDED.is_public,
              EXCLUDED.validation_rules, now())
    ), ${auditedEventCtes(write.audit, Prisma.sql`WHERE EXISTS (SELECT 1 FROM claimed)`)}${
      write.webhook
        ? Prisma.sql`, webhooks AS (${webhookDeliveriesInsert(write.webhook, subjectDataSql(write.webhook, Prisma.sql`claimed`))})`
        : Prisma.empty
    }
    SELECT settings_version AS version FROM claimed`);
  return claimed?.version ?? null;
}

export interface CatalogEntry {
  key: string;
  settingType: string;
  category: string;
  description: string;
  default: unknown;
  validationRules: unknown;
  isPublic: boolean;
}

/**
 * Makes the settings_catalog table equal to `entries` (in that order), idempotently: new keys are added, changed
 * ones updated (only when something differs), removed ones deleted. Users' rows are left alone.
 */
export async function syncSettingsCatalog(tx: DbHandle, entries: readonly CatalogEntry[]): Promise<void> {
  const items = entries.map((entry, position) => ({
    key: entry.key,
    setting_type: entry.settingType,
    category: entry.category,
    description: entry.description,
    default_value: entry.default,
    validation_rules: entry.validationRules,
    is_public: entry.isPublic,
    position,
  }));
  const json = JSON.stringify(items);
  await tx.execute(Prisma.sql`
    INSERT INTO settings_catalog (key, setting_type, category, description, default_value, validation_rules, is_public, position)
    SELECT x.key, x.setting_type::setting_type, x.category, x.description, x.default_value, x.validation_rules, x.is_public, x.position
      FROM jsonb_to_recordset(${json}::jsonb)
        AS x(key text, setting_type text, category text, description text, default_value jsonb, validation_rules jsonb, is_public boolean, position integer)
    ON CONFLICT (key) DO UPDATE
       SET setting_type = EXCLUDED.setting_type,
           category = EXCLUDED.category,
           description = EXCLUDED.description,
           default_value = EXCLUDED.default_value,
           validation_rules = EXCLUDED.validation_rules,
           is_public = EXCLUDED.is_public,
           position = EXCLUDED.position,
           updated_at = now()
     WHERE (settings_catalog.setting_type, settings_catalog.category, settings_catalog.description, settings_catalog.default_value,
            settings_catalog.validation_rules, settings_catalog.is_public, settings_catalog.position)
           IS DISTINCT FROM
           (EXCLUDED.setting_type, EXCLUDED.category, EXCLUDED.description, EXCLUDED.default_value,
            EXCLUDED.validation_rules, EXCLUDED.is_public, EXCLUDED.position)`);
  await tx.execute(Prisma.sql`
    DELETE FROM settings_catalog
     WHERE key NOT IN (SELECT x.key FROM jsonb_to_recordset(${json}::jsonb) AS x(key text))`);
}

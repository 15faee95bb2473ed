import { settingDefinitions, TIMEZONE_SETTING_KEY, type TJsonValue } from '@ums/contract';
import { Prisma, type PrismaClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import { type AuditActor, type FieldChanges, recordAudit } from '../audit.ts';
import type { Tx } from '../sessions.ts';
import { effectiveSetting, type SettingsState, type StoredSetting, storedSettingSelect } from './settings-state.ts';
import type { ValidSettingChange } from './validate-setting-changes.ts';

export interface SettingsWrite {
  userId: string;
  changes: readonly ValidSettingChange[];
  expectedVersion?: number | undefined;
  action: 'settings.updated' | 'preferences.updated';
}

/**
 * The one write path of both views. In one transaction: claim the next settings version (checking
 * `expectedVersion` in the same UPDATE, which also locks the user's row so concurrent writers queue) and read what
 * is stored, write every changed row in a single upsert, move the timezone to the profile, and audit the from/to
 * of each key. Returns the state after the write.
 */
export async function writeSettings(db: PrismaClient, actor: AuditActor, write: SettingsWrite): Promise<SettingsState> {
  const { userId, action } = write;
  return db.$transaction(async (tx) => {
    const before = await claimSettingsVersion(tx, userId, write.expectedVersion);
    const after: SettingsState = { ...before, rows: new Map(before.rows) };

    const audited: FieldChanges = {};
    const upserts: SettingRowWrite[] = [];
    for (const change of write.changes) {
      const definition = settingDefinitions.get(change.key);
      if (!definition) throw new AppError('BAD_REQUEST', `Unknown setting ${change.key}`);
      const current = effectiveSetting(before, definition);
      const isPublic = change.isPublic ?? current.isPublic;
      if (JSON.stringify(current.value) !== JSON.stringify(change.value)) audited[change.key] = { from: current.value, to: change.value };
      if (isPublic !== current.isPublic) audited[`${change.key}:isPublic`] = { from: current.isPublic, to: isPublic };

      if (change.key === TIMEZONE_SETTING_KEY) {
        after.timezone = String(change.value);
        continue;
      }
      const { key, settingType, category, description, validationRules } = definition;
      upserts.push({
        key,
        value: change.value,
        setting_type: settingType,
        category,
        description,
        is_public: isPublic,
        validation_rules: validationRules,
      });
      after.rows.set(key, { key, value: change.value, settingType, isPublic });
    }

    if (upserts.length > 0) await upsertSettingRows(tx, userId, upserts);
    if (after.timezone !== before.timezone) {
      // The profile changed too: its own version moves, so a stale profile edit is refused.
      await tx.$executeRaw`UPDATE users SET timezone = ${after.timezone}, version = version + 1, updated_at = now() WHERE id = ${userId}::uuid`;
    }
    await recordAudit(tx, actor, { action, targetType: 'user', targetId: userId, changes: audited });
    return after;
  });
}

interface ClaimRow {
  version: number;
  timezone: string | null;
  isActive: boolean;
  /** settings_version as the statement's snapshot saw it, before waiting for the row lock. */
  seenVersion: number;
  rows: StoredSetting[];
}

/**
 * Bumps the user's settings version, only if it is still `expectedVersion` when one is given (check and bump in
 * one step), and reads the stored rows in the same round trip. The rows are read from the statement's snapshot,
 * taken before the row lock was granted: when another writer committed in between (the version moved by more than
 * this bump), they are read again, now under the lock.
 */
async function claimSettingsVersion(tx: Tx, userId: string, expectedVersion: number | undefined): Promise<SettingsState> {
  const onlyIfCurrent = expectedVersion === undefined ? Prisma.empty : Prisma.sql`AND settings_version = ${expectedVersion}`;
  const [claimed] = await tx.$queryRaw<ClaimRow[]>`
    WITH claimed AS (
      UPDATE users SET settings_version = settings_version + 1
       WHERE id = ${userId}::uuid ${onlyIfCurrent}
      RETURNING settings_version, timezone, is_active
    )
    SELECT c.settings_version AS version, c.timezone, c.is_active AS "isActive",
           (SELECT u.settings_version FROM users u WHERE u.id = ${userId}::uuid) AS "seenVersion",
           COALESCE(
             (SELECT json_agg(json_build_object('key', s.key, 'value', s.value, 'settingType', s.setting_type, 'isPublic', s.is_public))
                FROM user_settings s WHERE s.user_id = ${userId}::uuid),
             '[]'::json) AS rows
      FROM claimed c`;
  if (!claimed) {
    const current = await tx.user.findUnique({ where: { id: userId }, select: { settingsVersion: true } });
    if (!current) throw new AppError('NOT_FOUND', 'No such user');
    throw new AppError('CONFLICT', `The settings were changed meanwhile (now at version ${current.settingsVersion}); reload and retry`, {
      data: { currentVersion: current.settingsVersion },
    });
  }
  const rows =
    claimed.seenVersion + 1 === claimed.version
      ? claimed.rows
      : await tx.userSetting.findMany({ where: { userId }, select: storedSettingSelect });
  return {
    userId,
    version: claimed.version,
    timezone: claimed.timezone,
    isActive: claimed.isActive,
    rows: new Map(rows.map((row) => [row.key, row])),
  };
}

interface SettingRowWrite {
  key: string;
  value: TJsonValue;
  setting_type: string;
  category: string;
  description: string;
  is_public: boolean;
  validation_rules: unknown;
}

/** Every row of the batch in one statement: a 20-key update costs one round trip, not twenty. */
async function upsertSettingRows(tx: Tx, userId: string, rows: readonly SettingRowWrite[]): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO user_settings (user_id, key, value, setting_type, category, description, is_public, validation_rules)
    SELECT ${userId}::uuid, x.key, x.value, x.setting_type::setting_type, x.category, x.description, x.is_public, x.validation_rules
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS x(key text, value jsonb, setting_type text, category text, description text, is_public boolean, validation_rules jsonb)
    ON CONFLICT (user_id, key) DO UPDATE
       SET value = EXCLUDED.value,
           setting_type = EXCLUDED.setting_type,
           category = EXCLUDED.category,
           description = EXCLUDED.description,
           is_public = EXCLUDED.is_public,
           validation_rules = EXCLUDED.validation_rules,
           updated_at = now()`;
}

import {
  settingsCatalog,
  TIMEZONE_SETTING_KEY,
  type TJsonValue,
  type TSetting,
  type TSettingCategory,
  type TSettingDefinition,
  type TValidationRules,
} from '@ums/contract';
import { Prisma, type SqlClient } from '@ums/db';
import { checkSettingValue } from './check-setting-value.ts';

/** What a user has stored, as one read: the settings version, the profile timezone and the setting rows. */
export interface SettingsState {
  userId: string;
  isActive: boolean;
  version: number;
  /** users.timezone: the `timezone` setting lives there. */
  timezone: string | null;
  rows: Map<string, StoredSetting>;
}

export interface StoredSetting {
  key: string;
  value: Prisma.JsonValue;
  settingType: string;
  isPublic: boolean;
}

export interface EffectiveSetting {
  definition: TSettingDefinition;
  value: TJsonValue;
  isPublic: boolean;
  isDefault: boolean;
}

export const storedSettingSelect = {
  key: true,
  value: true,
  settingType: true,
  isPublic: true,
} as const satisfies Prisma.UserSettingSelect;

/** The columns a SettingsState is read from; spread into a user select. */
export const settingsStateSelect = {
  isActive: true,
  settingsVersion: true,
  timezone: true,
  settings: { select: storedSettingSelect },
} as const satisfies Prisma.UserSelect;

type SettingsStateRow = Prisma.UserGetPayload<{ select: typeof settingsStateSelect }>;

export function toSettingsState(userId: string, row: SettingsStateRow): SettingsState {
  return {
    userId,
    isActive: row.isActive,
    version: row.settingsVersion,
    timezone: row.timezone,
    rows: new Map(row.settings.map((setting) => [setting.key, setting])),
  };
}

/** The user's settings state, or null for an unknown user: one query (the user's row and their setting rows). */
export async function loadSettingsState(sql: SqlClient, userId: string): Promise<SettingsState | null> {
  const [row] = await sql.query<SettingsStateRow>(Prisma.sql`
    SELECT u.settings_version AS "settingsVersion", u.timezone, u.is_active AS "isActive",
           COALESCE(
             (SELECT json_agg(json_build_object('key', s.key, 'value', s.value, 'settingType', s.setting_type, 'isPublic', s.is_public))
                FROM user_settings s WHERE s.user_id = u.id),
             '[]'::json) AS settings
      FROM users u
     WHERE u.id = ${userId}::uuid`);
  return row ? toSettingsState(userId, row) : null;
}

/**
 * The value that applies for one catalog key: the user's own when it still fits the catalog, else the default.
 * A stored value that no longer fits (one the structured_settings migration kept as text, or one a later catalog
 * change made invalid) stays in its row for the record but is not served.
 */
export function effectiveSetting(state: SettingsState, definition: TSettingDefinition): EffectiveSetting {
  if (definition.key === TIMEZONE_SETTING_KEY) {
    const own = state.timezone !== null;
    return { definition, value: own ? state.timezone : definition.default, isPublic: definition.isPublic, isDefault: !own };
  }
  const row = state.rows.get(definition.key);
  if (row && row.settingType === definition.settingType && checkSettingValue(definition, row.value) === null) {
    return { definition, value: row.value as TJsonValue, isPublic: row.isPublic, isDefault: false };
  }
  return { definition, value: definition.default, isPublic: definition.isPublic, isDefault: true };
}

export function toSettingView({ definition, value, isPublic, isDefault }: EffectiveSetting): TSetting {
  return {
    key: definition.key,
    value,
    settingType: definition.settingType,
    category: definition.category,
    description: definition.description,
    isPublic,
    validationRules: toRulesView(definition.validationRules),
    isDefault,
  };
}

/** The catalog's rules as a plain wire object (the catalog holds them read-only). */
export function toRulesView({ allowed_values, ...rules }: TValidationRules): TSetting['validationRules'] {
  return allowed_values ? { ...rules, allowed_values: [...allowed_values] } : rules;
}

/** Every catalog key (or those of one category), in catalog order. */
export function settingViews(state: SettingsState, category?: TSettingCategory): TSetting[] {
  return settingsCatalog
    .filter((definition) => category === undefined || definition.category === category)
    .map((definition) => toSettingView(effectiveSetting(state, definition)));
}

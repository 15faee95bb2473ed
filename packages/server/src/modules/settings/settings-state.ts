import {
  settingsCatalog,
  TIMEZONE_SETTING_KEY,
  type TJsonValue,
  type TSetting,
  type TSettingCategory,
  type TSettingDefinition,
  type TValidationRules,
} from '@ums/contract';
import { type DbHandle, findSettingsState, type SettingsStateRow, type StoredSettingRow } from '@ums/db';
import { checkSettingValue } from './check-setting-value.ts';

/** What a user has stored, as one read: the settings version, the profile timezone and the setting rows. */
export interface SettingsState {
  userId: string;
  isActive: boolean;
  version: number;
  /** users.timezone: the `timezone` setting lives there. */
  timezone: string | null;
  rows: Map<string, StoredSettingRow>;
}

export interface EffectiveSetting {
  definition: TSettingDefinition;
  value: TJsonValue;
  isPublic: boolean;
  isDefault: boolean;
}

export function toSettingsState(userId: string, row: SettingsStateRow): SettingsState {
  return {
    userId,
    isActive: row.isActive,
    version: row.settingsVersion,
    timezone: row.timezone,
    rows: new Map(row.settings.map((setting) => [setting.key, setting])),
  };
}

/** The user's settings state, or null for an unknown user. */
export async function loadSettingsState(db: DbHandle, userId: string): Promise<SettingsState | null> {
  const row = await findSettingsState(db, userId);
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

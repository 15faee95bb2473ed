import { settingsCatalog, type TSettingsCatalog } from '@ums/contract';
import type { Tx } from '../sessions.ts';
import { toRulesView } from './settings-state.ts';

/** The catalog as clients read it; served from the code, which the settings_catalog table mirrors. */
export function listSettingsCatalog(): TSettingsCatalog {
  return {
    items: settingsCatalog.map((definition) => ({
      key: definition.key,
      settingType: definition.settingType,
      category: definition.category,
      description: definition.description,
      default: definition.default,
      validationRules: toRulesView(definition.validationRules),
      isPublic: definition.isPublic,
    })),
  };
}

/**
 * Makes the settings_catalog table equal to the code, idempotently: new keys are added, changed ones updated (only
 * when something differs), removed ones deleted. Users' rows are left alone: a key that leaves the catalog keeps
 * its stored values, which the service then no longer serves.
 */
export async function seedSettingsCatalog(tx: Tx): Promise<void> {
  const items = settingsCatalog.map((definition, position) => ({
    key: definition.key,
    setting_type: definition.settingType,
    category: definition.category,
    description: definition.description,
    default_value: definition.default,
    validation_rules: definition.validationRules,
    is_public: definition.isPublic,
    position,
  }));
  const json = JSON.stringify(items);
  await tx.$executeRaw`
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
            EXCLUDED.validation_rules, EXCLUDED.is_public, EXCLUDED.position)`;
  await tx.$executeRaw`
    DELETE FROM settings_catalog
     WHERE key NOT IN (SELECT x.key FROM jsonb_to_recordset(${json}::jsonb) AS x(key text))`;
}

import { settingsCatalog, type TSettingsCatalog } from '@ums/contract';
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

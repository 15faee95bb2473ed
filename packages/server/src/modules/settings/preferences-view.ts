import { preferenceKeys, settingDefinitions, THEMES, type TPreferenceField, type TPreferences } from '@ums/contract';
import { effectiveSetting, type SettingsState } from './settings-state.ts';

// Preferences are a typed view of the settings of the preference categories: same rows, same version.

export function toPreferences(state: SettingsState): TPreferences {
  const current = (field: TPreferenceField) => {
    const definition = settingDefinitions.get(preferenceKeys[field]);
    if (!definition) throw new Error(`preference ${field} is missing from the settings catalog`);
    return effectiveSetting(state, definition).value;
  };
  // effectiveSetting only serves values that fit the catalog, so these narrowings always hold.
  const text = (field: TPreferenceField) => String(current(field));
  const flag = (field: TPreferenceField) => current(field) === true;
  const theme = THEMES.find((candidate) => candidate === current('theme')) ?? 'auto';
  return {
    theme,
    language: text('language'),
    timezone: text('timezone'),
    dateFormat: text('dateFormat'),
    notifications: { email: flag('notifications.email'), sms: flag('notifications.sms'), push: flag('notifications.push') },
    version: state.version,
  };
}

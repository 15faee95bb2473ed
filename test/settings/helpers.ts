export interface SettingView {
  key: string;
  value: unknown;
  settingType: string;
  category: string;
  description: string;
  isPublic: boolean;
  validationRules: Record<string, unknown>;
  isDefault: boolean;
}

export interface SettingsBody {
  settings: SettingView[];
  version: number;
}

export const byKey = (settings: readonly SettingView[]) => new Map(settings.map((setting) => [setting.key, setting]));

import { z } from 'zod';
import { ZExpectedVersion, ZUuid } from './fields.ts';

// The settings catalog (API.md, "Preferences and settings"): the one place every known setting is defined.
// The database keeps a copy (table settings_catalog, refreshed by the seed) so SQL, such as the migration that
// typed the old key-value rows, can read it too.

export const settingTypes = ['string', 'integer', 'number', 'boolean', 'json'] as const;
export type TSettingType = (typeof settingTypes)[number];

export const settingCategories = [
  'ui_preferences',
  'localization',
  'notifications',
  'interface',
  'profile',
  'privacy',
  'security',
  'communication',
  'accessibility',
] as const;
export type TSettingCategory = (typeof settingCategories)[number];

/**
 * Wire names are snake_case, as the design names them. `min`/`max` bound integer and number values;
 * `min_length`/`max_length` count the characters of a string, or the items of a json array or object;
 * `pattern` is a regular expression a string must match, written in the syntax JavaScript and PostgreSQL share.
 */
export interface TValidationRules {
  allowed_values?: readonly (string | number | boolean)[];
  min?: number;
  max?: number;
  min_length?: number;
  max_length?: number;
  pattern?: string;
}

export type TJsonValue = string | number | boolean | null | TJsonValue[] | { [key: string]: TJsonValue };

export interface TSettingDefinition {
  key: string;
  settingType: TSettingType;
  category: TSettingCategory;
  description: string;
  default: TJsonValue;
  validationRules: TValidationRules;
  /** Default visibility on the public profile; each user may override it per setting. */
  isPublic: boolean;
}

const define = (
  key: string,
  settingType: TSettingType,
  category: TSettingCategory,
  description: string,
  defaultValue: TJsonValue,
  validationRules: TValidationRules = {},
  isPublic = false,
): TSettingDefinition => ({ key, settingType, category, description, default: defaultValue, validationRules, isPublic });

export const THEMES = ['light', 'dark', 'auto'] as const;
export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'] as const;

/** Setting key of `timezone`: its value is the profile's `timezone` column (one value, three views). */
export const TIMEZONE_SETTING_KEY = 'timezone';

export const settingsCatalog: readonly TSettingDefinition[] = [
  define('theme', 'string', 'ui_preferences', 'Colour theme of the interface', 'auto', { allowed_values: THEMES }),
  define('language', 'string', 'localization', 'Interface language, a BCP 47 tag such as en or pt-BR', 'en', {
    min_length: 2,
    max_length: 35,
    pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$',
  }),
  define('timezone', 'string', 'localization', 'IANA time zone; the same value as the profile timezone', 'UTC', {
    max_length: 64,
    pattern: '^[A-Za-z][A-Za-z0-9_+/-]*$',
  }),
  define('date_format', 'string', 'localization', 'How dates are written', 'YYYY-MM-DD', { allowed_values: DATE_FORMATS }),
  define('notifications.email', 'boolean', 'notifications', 'Receive notifications by email', true),
  define('notifications.sms', 'boolean', 'notifications', 'Receive notifications by SMS', false),
  define('notifications.push', 'boolean', 'notifications', 'Receive push notifications', true),
  define('ui.density', 'string', 'interface', 'Spacing of lists and tables', 'comfortable', { allowed_values: ['comfortable', 'compact'] }),
  define('ui.sidebar_collapsed', 'boolean', 'interface', 'Start with the sidebar collapsed', false),
  define('ui.page_size', 'integer', 'interface', 'Rows per page in lists', 20, { min: 10, max: 100 }),
  define('ui.font_scale', 'number', 'interface', 'Text size relative to the default', 1, { min: 0.75, max: 2 }),
  define('ui.accent_color', 'string', 'interface', 'Accent colour as #rrggbb', '#2563eb', { pattern: '^#[0-9A-Fa-f]{6}$' }),
  define('ui.time_format', 'string', 'interface', 'Clock style', '24h', { allowed_values: ['12h', '24h'] }),
  define('ui.week_start', 'integer', 'interface', 'First day of the week (0 Sunday, 1 Monday, 6 Saturday)', 1, {
    allowed_values: [0, 1, 6],
  }),
  define('ui.dashboard_widgets', 'json', 'interface', 'Widgets on the dashboard, in order', ['activity', 'security'], {
    min_length: 1,
    max_length: 12,
  }),
  define('profile.visibility', 'string', 'profile', 'Who can find the profile', 'members', {
    allowed_values: ['public', 'members', 'private'],
  }),
  define('profile.show_email', 'boolean', 'profile', 'Show the email address on the profile', false),
  define('profile.pronouns', 'string', 'profile', 'Pronouns shown on the profile', '', { max_length: 40 }, true),
  define('profile.headline', 'string', 'profile', 'One line under the name on the profile', '', { max_length: 120 }, true),
  define('profile.location', 'string', 'profile', 'Where the user is based', '', { max_length: 100 }, true),
  define(
    'profile.website',
    'string',
    'profile',
    'Personal website, an https URL',
    '',
    { max_length: 200, pattern: '^(https://\\S+)?$' },
    true,
  ),
  define('privacy.analytics', 'boolean', 'privacy', 'Share anonymous usage analytics', true),
  define('privacy.show_online_status', 'boolean', 'privacy', 'Let others see when the user is online', true),
  define('security.session_timeout_minutes', 'integer', 'security', 'Sign out after this many idle minutes', 60, { min: 5, max: 1440 }),
  define('security.login_alerts', 'boolean', 'security', 'Email an alert on sign-in from a new device', true),
  define('communication.digest_frequency', 'string', 'communication', 'How often to send the activity digest', 'weekly', {
    allowed_values: ['never', 'daily', 'weekly'],
  }),
  define('communication.marketing_emails', 'boolean', 'communication', 'Receive product news by email', false),
  define(
    'communication.quiet_hours',
    'json',
    'communication',
    'Hours without notifications',
    { enabled: false, start: '22:00', end: '07:00' },
    {
      max_length: 3,
    },
  ),
  define('accessibility.reduced_motion', 'boolean', 'accessibility', 'Reduce animations', false),
  define('accessibility.high_contrast', 'boolean', 'accessibility', 'Use high-contrast colours', false),
];

export const settingDefinitions: ReadonlyMap<string, TSettingDefinition> = new Map(settingsCatalog.map((item) => [item.key, item]));

// --- Wire schemas -------------------------------------------------------------------------------------------

export const ZSettingType = z.enum(settingTypes);
/** A setting's value: any JSON value its setting type and rules allow (the server checks it against the catalog). */
export const ZJsonValue = z.unknown().meta({ id: 'JsonValue', description: 'Any JSON value allowed by the setting type and rules' });
export const ZSettingCategory = z.enum(settingCategories);

export const ZValidationRules = z
  .object({
    allowed_values: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .describe('The only values allowed')
      .optional(),
    min: z.number().describe('Smallest integer or number allowed').optional(),
    max: z.number().describe('Largest integer or number allowed').optional(),
    min_length: z.number().int().describe('Fewest characters of a string, or items of a json array or object').optional(),
    max_length: z.number().int().describe('Most characters of a string, or items of a json array or object').optional(),
    pattern: z.string().describe('A regular expression a string must match').optional(),
  })
  .meta({ id: 'ValidationRules' });

export const ZSettingDefinition = z
  .object({
    key: z.string().describe('The setting, such as `ui.page_size`'),
    settingType: ZSettingType.describe('The JSON type of its value'),
    category: ZSettingCategory.describe('The group it belongs to'),
    description: z.string().describe('What it does'),
    default: ZJsonValue,
    validationRules: ZValidationRules,
    isPublic: z.boolean().describe('Shown on the public profile unless the user says otherwise'),
  })
  .meta({ id: 'SettingDefinition' });

export const ZSettingsCatalog = z
  .object({ items: z.array(ZSettingDefinition).describe('Every known setting') })
  .meta({ id: 'SettingsCatalog' });
export type TSettingsCatalog = z.infer<typeof ZSettingsCatalog>;

export const ZSetting = z
  .object({
    key: z.string().describe('The setting, such as `ui.page_size`'),
    value: ZJsonValue,
    settingType: ZSettingType.describe('The JSON type of its value'),
    category: ZSettingCategory.describe('The group it belongs to'),
    description: z.string().describe('What it does'),
    isPublic: z.boolean().describe('Shown on the public profile'),
    validationRules: ZValidationRules,
    /** True when the user has no value of their own and the catalog default applies. */
    isDefault: z.boolean().describe('True when the user has no value of their own and the catalog default applies'),
  })
  .meta({ id: 'Setting' });
export type TSetting = z.infer<typeof ZSetting>;

/** `version` is the user's settings version, shared with the preferences view; send it back as `expectedVersion`. */
export const ZSettingsList = z
  .object({
    settings: z.array(ZSetting).describe('Every catalog key asked for, in catalog order'),
    version: z.number().int().describe('The settings version; send it back as `expectedVersion`'),
  })
  .meta({ id: 'SettingsList' });
export type TSettingsList = z.infer<typeof ZSettingsList>;

export const ZGetMySettingsInput = z.strictObject({ category: ZSettingCategory.describe('Only this category').optional() }).optional();
export const ZGetUserSettingsInput = z.strictObject({
  id: ZUuid.describe('The user'),
  category: ZSettingCategory.describe('Only this category').optional(),
});

// Values are checked against the catalog by the service, so that each failing key gets its own message.
export const ZSettingChange = z.strictObject({
  key: z.string().min(1).max(128).describe('A key of the catalog'),
  value: ZJsonValue.refine((value) => value !== undefined, { message: 'is required' }),
  isPublic: z.boolean().describe('Show it on your public profile; omitted = unchanged').optional(),
});
export type TSettingChange = z.infer<typeof ZSettingChange>;

const settingsBatch = {
  settings: z.array(ZSettingChange).min(1).max(settingsCatalog.length).describe('The changes, applied together or not at all'),
  expectedVersion: ZExpectedVersion.describe('The settings `version` you read: refused (409) if no longer current').optional(),
};

export const ZUpdateMySettingsInput = z.strictObject(settingsBatch).meta({ id: 'UpdateSettingsInput' });
export type TUpdateMySettingsInput = z.infer<typeof ZUpdateMySettingsInput>;

export const ZUpdateUserSettingsInput = z
  .strictObject({ id: ZUuid.describe('The user'), ...settingsBatch })
  .meta({ id: 'UpdateUserSettingsInput' });

// --- Preferences: the typed view of the settings in the preference categories ------------------------------

/** Preference field path → setting key. */
export const preferenceKeys = {
  theme: 'theme',
  language: 'language',
  timezone: TIMEZONE_SETTING_KEY,
  dateFormat: 'date_format',
  'notifications.email': 'notifications.email',
  'notifications.sms': 'notifications.sms',
  'notifications.push': 'notifications.push',
} as const;
export type TPreferenceField = keyof typeof preferenceKeys;

export const ZPreferences = z
  .object({
    theme: z.enum(THEMES).describe('Colour theme; auto follows the device'),
    language: z.string().describe('Interface language, a BCP 47 tag'),
    timezone: z.string().describe('IANA time zone, the same as the profile timezone'),
    dateFormat: z.string().meta({ override: { enum: [...DATE_FORMATS] }, description: 'How dates are written' }),
    notifications: z.object({ email: z.boolean(), sms: z.boolean(), push: z.boolean() }).describe('Which channels may carry notifications'),
    version: z.number().int().describe('The settings version; send it back as `expectedVersion`'),
  })
  .meta({ id: 'Preferences' });
export type TPreferences = z.infer<typeof ZPreferences>;

/** Partial and deep-merged: omitted fields keep their value. Values are checked against the catalog by the service. */
export const ZUpdatePreferencesInput = z
  .strictObject({
    // Checked by the service (a bad value is a 400 naming the field); documented as the catalog allows.
    theme: z
      .string()
      .optional()
      .meta({ override: { enum: [...THEMES] }, description: 'Colour theme' }),
    language: z.string().describe('Interface language, a BCP 47 tag such as en or pt-BR').optional(),
    timezone: z.string().describe('IANA time zone; also sets the profile timezone').optional(),
    dateFormat: z
      .string()
      .optional()
      .meta({ override: { enum: [...DATE_FORMATS] }, description: 'How dates are written' }),
    notifications: z
      .strictObject({ email: z.boolean().optional(), sms: z.boolean().optional(), push: z.boolean().optional() })
      .optional()
      .describe('Channels to turn on or off; omitted ones keep their value'),
    expectedVersion: ZExpectedVersion.describe('The settings `version` you read: refused (409) if no longer current').optional(),
  })
  .meta({ id: 'UpdatePreferencesInput' });
export type TUpdatePreferencesInput = z.infer<typeof ZUpdatePreferencesInput>;

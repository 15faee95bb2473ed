import { settingDefinitions, settingsCatalog, type TSettingDefinition } from '@ums/contract';
import { checkSettingValue } from '@ums/server/src/modules/settings/check-setting-value.ts';
import { describe, expect, it } from 'vitest';

const definition = (key: string): TSettingDefinition => {
  const found = settingDefinitions.get(key);
  if (!found) throw new Error(`no setting ${key}`);
  return found;
};

const check = (key: string, value: unknown) => checkSettingValue(definition(key), value);

describe('the settings catalog', () => {
  it('has unique keys, every type, every rule, enough keys for a 20-key batch, and the preference keys', () => {
    expect(new Set(settingsCatalog.map((item) => item.key)).size).toBe(settingsCatalog.length);
    expect(settingsCatalog.length).toBeGreaterThanOrEqual(20);
    expect(new Set(settingsCatalog.map((item) => item.settingType))).toEqual(new Set(['string', 'integer', 'number', 'boolean', 'json']));
    const rules = new Set(settingsCatalog.flatMap((item) => Object.keys(item.validationRules)));
    expect(rules).toEqual(new Set(['allowed_values', 'min', 'max', 'min_length', 'max_length', 'pattern']));
    expect(
      ['theme', 'language', 'timezone', 'date_format', 'notifications.email', 'notifications.sms', 'notifications.push'].map(
        (key) => `${key}:${definition(key).category}`,
      ),
    ).toEqual([
      'theme:ui_preferences',
      'language:localization',
      'timezone:localization',
      'date_format:localization',
      'notifications.email:notifications',
      'notifications.sms:notifications',
      'notifications.push:notifications',
    ]);
    expect(settingsCatalog.some((item) => item.isPublic)).toBe(true);
  });

  it('gives every key a default that passes its own rules', () => {
    for (const item of settingsCatalog) expect(checkSettingValue(item, item.default), item.key).toBeNull();
  });
});

describe('checkSettingValue: types', () => {
  it.each([
    ['string', 'profile.headline', 'Engineer', 42],
    ['integer', 'ui.page_size', 25, 25.5],
    ['number', 'ui.font_scale', 1.1, '1.1'],
    ['boolean', 'notifications.email', false, 'false'],
    ['json', 'communication.quiet_hours', { enabled: true }, null],
  ])('%s: accepts the type and refuses another', (type, key, good, bad) => {
    expect(check(key, good)).toBeNull();
    const article = type === 'integer' ? 'an' : 'a';
    expect(check(key, bad)).toBe(type === 'json' ? 'must be a JSON value other than null' : `must be ${article} ${type}`);
  });

  it('refuses integers that are not exact in JSON numbers, and booleans for numbers', () => {
    expect(check('ui.page_size', 2 ** 53)).toBe('must be an integer');
    expect(check('ui.page_size', true)).toBe('must be an integer');
    expect(check('ui.font_scale', Number.POSITIVE_INFINITY)).toBe('must be a number');
    expect(check('theme', ['dark'])).toBe('must be a string');
  });

  it('accepts any JSON value but null for json settings without length rules, up to a size', () => {
    const free: TSettingDefinition = { ...definition('communication.quiet_hours'), key: 'free', validationRules: {} };
    for (const value of [{ a: [1, 2] }, [1], 'text', 3, false]) expect(checkSettingValue(free, value)).toBeNull();
    expect(checkSettingValue(free, { huge: 'x'.repeat(9000) })).toBe('must be at most 8192 characters as JSON');
    expect(check('communication.quiet_hours', 'text')).toBe('must be an array or an object');
  });
});

describe('checkSettingValue: rules', () => {
  it('allowed_values, for strings and integers', () => {
    expect(check('theme', 'dark')).toBeNull();
    expect(check('theme', 'Dark')).toBe('must be one of: light, dark, auto');
    expect(check('ui.week_start', 6)).toBeNull();
    expect(check('ui.week_start', 3)).toBe('must be one of: 0, 1, 6');
  });

  it('min and max, inclusive, for integers and numbers', () => {
    expect(check('ui.page_size', 10)).toBeNull();
    expect(check('ui.page_size', 100)).toBeNull();
    expect(check('ui.page_size', 9)).toBe('must be at least 10');
    expect(check('ui.page_size', 101)).toBe('must be at most 100');
    expect(check('ui.font_scale', 0.75)).toBeNull();
    expect(check('ui.font_scale', 0.74)).toBe('must be at least 0.75');
    expect(check('ui.font_scale', 2.01)).toBe('must be at most 2');
  });

  it('min_length and max_length count characters of strings (code points, as PostgreSQL does)', () => {
    expect(check('language', 'e')).toBe('must be at least 2 characters');
    expect(check('language', 'en')).toBeNull();
    expect(check('profile.pronouns', 'x'.repeat(40))).toBeNull();
    expect(check('profile.pronouns', 'x'.repeat(41))).toBe('must be at most 40 characters');
    expect(check('profile.pronouns', '🙂'.repeat(40))).toBeNull();
  });

  it('min_length and max_length count the items of json arrays and objects, and need one of them', () => {
    expect(check('ui.dashboard_widgets', [])).toBe('must have at least 1 items');
    expect(
      check(
        'ui.dashboard_widgets',
        Array.from({ length: 12 }, (_, i) => `w${i}`),
      ),
    ).toBeNull();
    expect(
      check(
        'ui.dashboard_widgets',
        Array.from({ length: 13 }, (_, i) => `w${i}`),
      ),
    ).toBe('must have at most 12 items');
    expect(check('ui.dashboard_widgets', 'activity')).toBe('must be an array or an object');
    expect(check('communication.quiet_hours', { a: 1, b: 2, c: 3, d: 4 })).toBe('must have at most 3 items');
  });

  it('pattern, matched against the whole value', () => {
    expect(check('ui.accent_color', '#A0b1C2')).toBeNull();
    expect(check('ui.accent_color', '#A0b1C2 ')).toBe('must match the pattern ^#[0-9A-Fa-f]{6}$');
    expect(check('profile.website', '')).toBeNull();
    expect(check('profile.website', 'https://example.com/me')).toBeNull();
    expect(check('profile.website', 'http://example.com')).toBe('must match the pattern ^(https://\\S+)?$');
    expect(check('language', 'pt-BR')).toBeNull();
  });

  it('timezone: an IANA zone, as the profile requires', () => {
    expect(check('timezone', 'America/Argentina/Buenos_Aires')).toBeNull();
    expect(check('timezone', 'Mars/Olympus')).toBe('must be an IANA time zone such as Europe/Paris');
    expect(check('timezone', 'Europe Paris')).toBe('must match the pattern ^[A-Za-z][A-Za-z0-9_+/-]*$');
  });
});

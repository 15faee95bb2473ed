import { isIanaTimezone, TIMEZONE_SETTING_KEY, type TJsonValue, type TSettingDefinition, type TSettingType } from '@ums/contract';

/** Big enough for any sensible json setting; keeps one value from filling a row with megabytes. */
export const MAX_JSON_SETTING_CHARS = 8192;

const TYPE_NAMES: Record<TSettingType, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  json: 'a JSON value other than null',
};

const compiledPatterns = new Map<string, RegExp>();
const patternOf = (source: string) => {
  let pattern = compiledPatterns.get(source);
  if (!pattern) {
    pattern = new RegExp(source, 'u');
    compiledPatterns.set(source, pattern);
  }
  return pattern;
};

// Building an Intl.DateTimeFormat is slow and the zones in real use are few, so remember the valid ones
// (capped: Intl also accepts every upper/lower-case spelling of a zone).
const knownZones = new Set<string>();
const KNOWN_ZONES_CAP = 2000;
function isKnownZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  if (!isIanaTimezone(zone)) return false;
  if (knownZones.size < KNOWN_ZONES_CAP) knownZones.add(zone);
  return true;
}

function hasType(type: TSettingType, value: unknown): value is TJsonValue {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'json':
      return value !== null && value !== undefined;
  }
}

/** Items of a json array or object, for the length rules; null for a json scalar. */
function itemCount(value: TJsonValue): number | null {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return null;
}

/**
 * Why `value` is not acceptable for the setting, or null when it is: the type first, then each rule in a fixed
 * order, so every failing key gets exactly one message. The structured_settings migration applies the same checks
 * in SQL, which is why patterns keep to the syntax JavaScript and PostgreSQL share.
 */
export function checkSettingValue(definition: TSettingDefinition, value: unknown): string | null {
  const { settingType: type, validationRules: rules } = definition;
  if (!hasType(type, value)) return `must be ${TYPE_NAMES[type]}`;
  if (rules.allowed_values && !rules.allowed_values.some((allowed) => allowed === value)) {
    return `must be one of: ${rules.allowed_values.join(', ')}`;
  }
  if ((type === 'integer' || type === 'number') && typeof value === 'number') {
    if (rules.min !== undefined && value < rules.min) return `must be at least ${rules.min}`;
    if (rules.max !== undefined && value > rules.max) return `must be at most ${rules.max}`;
  }
  if (type === 'string' && typeof value === 'string') {
    // Characters as PostgreSQL counts them (code points), not UTF-16 units.
    const length = [...value].length;
    if (rules.min_length !== undefined && length < rules.min_length) return `must be at least ${rules.min_length} characters`;
    if (rules.max_length !== undefined && length > rules.max_length) return `must be at most ${rules.max_length} characters`;
    if (rules.pattern !== undefined && !patternOf(rules.pattern).test(value)) return `must match the pattern ${rules.pattern}`;
    if (definition.key === TIMEZONE_SETTING_KEY && !isKnownZone(value)) return 'must be an IANA time zone such as Europe/Paris';
  }
  if (type === 'json') {
    if (JSON.stringify(value).length > MAX_JSON_SETTING_CHARS) return `must be at most ${MAX_JSON_SETTING_CHARS} characters as JSON`;
    if (rules.min_length !== undefined || rules.max_length !== undefined) {
      const items = itemCount(value);
      if (items === null) return 'must be an array or an object';
      if (rules.min_length !== undefined && items < rules.min_length) return `must have at least ${rules.min_length} items`;
      if (rules.max_length !== undefined && items > rules.max_length) return `must have at most ${rules.max_length} items`;
    }
  }
  return null;
}

/** The same check as a type guard: a value the setting accepts is plain JSON of the setting's type. */
export const isAcceptedSettingValue = (definition: TSettingDefinition, value: unknown): value is TJsonValue =>
  checkSettingValue(definition, value) === null;

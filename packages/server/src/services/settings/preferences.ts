import {
  preferenceKeys,
  settingDefinitions,
  THEMES,
  type TIssue,
  type TPreferenceField,
  type TPreferences,
  type TSettingChange,
  type TUpdatePreferencesInput,
} from '@ums/contract';
import type { PrismaClient, SqlClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import type { AuditActor } from '../audit.ts';
import { effectiveSetting, loadSettingsState, type SettingsState } from './settings-state.ts';
import { validateSettingChanges } from './validate-setting-changes.ts';
import { writeSettings } from './write-settings.ts';

// Preferences are a typed view of the settings of the preference categories: same rows, same version.

export async function getPreferences(sql: SqlClient, { userId }: { userId: string }): Promise<TPreferences> {
  const state = await loadSettingsState(sql, userId);
  if (!state) throw new AppError('NOT_FOUND', 'No such user');
  return toPreferences(state);
}

/** Partial and deep-merged: only the fields sent change, each stored as its own setting. */
export async function updatePreferences(
  db: PrismaClient,
  sql: SqlClient,
  actor: AuditActor,
  { userId, input }: { userId: string; input: TUpdatePreferencesInput },
): Promise<TPreferences> {
  const { expectedVersion, ...fields } = input;
  const sent = sentFields(fields);
  const requested: TSettingChange[] = sent.map(({ field, value }) => ({ key: preferenceKeys[field], value }));
  const changes = validateSettingChanges(requested, (index, _field, problem) => ({ path: sent[index]?.path ?? [], message: problem }));
  const state = await writeSettings(db, sql, actor, { userId, changes, expectedVersion, action: 'preferences.updated' });
  return toPreferences(state);
}

interface SentField {
  field: TPreferenceField;
  path: TIssue['path'];
  value: string | boolean;
}

function sentFields(fields: Omit<TUpdatePreferencesInput, 'expectedVersion'>): SentField[] {
  const sent: SentField[] = [];
  const add = (field: TPreferenceField, value: string | boolean | undefined) => {
    if (value !== undefined) sent.push({ field, path: field.split('.'), value });
  };
  add('theme', fields.theme);
  add('language', fields.language);
  add('timezone', fields.timezone);
  add('dateFormat', fields.dateFormat);
  add('notifications.email', fields.notifications?.email);
  add('notifications.sms', fields.notifications?.sms);
  add('notifications.push', fields.notifications?.push);
  return sent;
}

function toPreferences(state: SettingsState): TPreferences {
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

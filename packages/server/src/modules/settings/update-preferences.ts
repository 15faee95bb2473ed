import {
  preferenceKeys,
  type TIssue,
  type TPreferenceField,
  type TPreferences,
  type TSettingChange,
  type TUpdatePreferencesInput,
} from '@ums/contract';
import type { ServiceDeps } from '../service-deps.ts';
import { toPreferences } from './preferences-view.ts';
import { validateSettingChanges } from './validate-setting-changes.ts';
import { writeSettings } from './write-settings.ts';

/** Partial and deep-merged: only the fields sent change, each stored as its own setting. */
export async function updatePreferences(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { userId, input }: { userId: string; input: TUpdatePreferencesInput },
): Promise<TPreferences> {
  const { expectedVersion, ...fields } = input;
  const sent = sentFields(fields);
  const requested: TSettingChange[] = sent.map(({ field, value }) => ({ key: preferenceKeys[field], value }));
  const changes = validateSettingChanges(requested, (index, _field, problem) => ({ path: sent[index]?.path ?? [], message: problem }));
  const state = await writeSettings(deps, { userId, changes, expectedVersion, action: 'preferences.updated' });
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

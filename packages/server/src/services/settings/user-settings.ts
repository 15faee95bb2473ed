import type { TSettingCategory, TSettingChange, TSettingsList } from '@ums/contract';
import type { PrismaClient, SqlClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import type { AuditActor } from '../audit.ts';
import { loadSettingsState, settingViews } from './settings-state.ts';
import { validateSettingChanges } from './validate-setting-changes.ts';
import { writeSettings } from './write-settings.ts';

/** Every catalog key (or one category) with the user's value or the default, and the settings version. */
export async function getUserSettings(
  sql: SqlClient,
  { userId, category }: { userId: string; category?: TSettingCategory | undefined },
): Promise<TSettingsList> {
  const state = await loadSettingsState(sql, userId);
  if (!state) throw new AppError('NOT_FOUND', 'No such user');
  return { settings: settingViews(state, category), version: state.version };
}

/** An all-or-nothing batch: every change is checked first, then all are written together, or none. */
export async function updateUserSettings(
  db: PrismaClient,
  sql: SqlClient,
  actor: AuditActor,
  { userId, settings, expectedVersion }: { userId: string; settings: readonly TSettingChange[]; expectedVersion?: number | undefined },
): Promise<TSettingsList> {
  const changes = validateSettingChanges(settings, (index, field, problem) => ({
    path: ['settings', index, field],
    message: `${settings[index]?.key}: ${problem}`,
  }));
  const state = await writeSettings(db, sql, actor, { userId, changes, expectedVersion, action: 'settings.updated' });
  return { settings: settingViews(state), version: state.version };
}

import type { TSettingCategory, TSettingsList } from '@ums/contract';
import type { ServiceDeps } from '../service-deps.ts';
import { userNotFound } from '../users/user-errors.ts';
import { loadSettingsState, settingViews } from './settings-state.ts';

/** Every catalog key (or one category) with the user's value or the default, and the settings version. */
export async function getUserSettings(
  { db }: Pick<ServiceDeps, 'db'>,
  { userId, category }: { userId: string; category?: TSettingCategory | undefined },
): Promise<TSettingsList> {
  const state = await loadSettingsState(db, userId);
  if (!state) throw userNotFound();
  return { settings: settingViews(state, category), version: state.version };
}

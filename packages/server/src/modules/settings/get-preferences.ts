import type { TPreferences } from '@ums/contract';
import type { ServiceDeps } from '../service-deps.ts';
import { userNotFound } from '../users/user-errors.ts';
import { toPreferences } from './preferences-view.ts';
import { loadSettingsState } from './settings-state.ts';

export async function getPreferences({ db }: Pick<ServiceDeps, 'db'>, { userId }: { userId: string }): Promise<TPreferences> {
  const state = await loadSettingsState(db, userId);
  if (!state) throw userNotFound();
  return toPreferences(state);
}

import type { TSettingChange, TSettingsList } from '@ums/contract';
import type { ServiceDeps } from '../service-deps.ts';
import { settingViews } from './settings-state.ts';
import { validateSettingChanges } from './validate-setting-changes.ts';
import { writeSettings } from './write-settings.ts';

/** An all-or-nothing batch: every change is checked first, then all are written together, or none. */
export async function updateUserSettings(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { userId, settings, expectedVersion }: { userId: string; settings: readonly TSettingChange[]; expectedVersion?: number | undefined },
): Promise<TSettingsList> {
  const changes = validateSettingChanges(settings, (index, field, problem) => ({
    path: ['settings', index, field],
    message: `${settings[index]?.key}: ${problem}`,
  }));
  const state = await writeSettings(deps, { userId, changes, expectedVersion, action: 'settings.updated' });
  return { settings: settingViews(state), version: state.version };
}

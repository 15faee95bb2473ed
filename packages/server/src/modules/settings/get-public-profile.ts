import { settingsCatalog, type TJsonValue, type TPublicProfile } from '@ums/contract';
import { findPublicProfile } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import { userNotFound } from '../users/user-errors.ts';
import { effectiveSetting, toSettingsState } from './settings-state.ts';

/**
 * What any signed-in user may see of another: the public profile fields and the settings marked public (the
 * user's own choice per setting, else the catalog's default). A deactivated or unknown user is a 404 alike.
 */
export async function getPublicProfile({ db }: Pick<ServiceDeps, 'db'>, { id }: { id: string }): Promise<TPublicProfile> {
  const user = await findPublicProfile(db, id);
  if (!user?.isActive) throw userNotFound();
  const state = toSettingsState(user.id, user);
  const publicSettings: Record<string, TJsonValue> = {};
  for (const definition of settingsCatalog) {
    const setting = effectiveSetting(state, definition);
    if (setting.isPublic) publicSettings[definition.key] = setting.value;
  }
  return { id: user.id, fullName: user.fullName, avatarUrl: user.avatarUrl, bio: user.bio, publicSettings };
}

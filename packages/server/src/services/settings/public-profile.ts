import { settingsCatalog, type TJsonValue, type ZPublicProfile } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import { effectiveSetting, settingsStateSelect, toSettingsState } from './settings-state.ts';

type TPublicProfile = z.infer<typeof ZPublicProfile>;

/**
 * What any signed-in user may see of another: the public profile fields and the settings marked public (the
 * user's own choice per setting, else the catalog's default). A deactivated or unknown user is a 404 alike.
 */
export async function getPublicProfile(db: PrismaClient, { id }: { id: string }): Promise<TPublicProfile> {
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, fullName: true, avatarUrl: true, bio: true, ...settingsStateSelect },
  });
  if (!user?.isActive) throw new AppError('NOT_FOUND', 'No such user');
  const state = toSettingsState(user.id, user);
  const publicSettings: Record<string, TJsonValue> = {};
  for (const definition of settingsCatalog) {
    const setting = effectiveSetting(state, definition);
    if (setting.isPublic) publicSettings[definition.key] = setting.value;
  }
  return { id: user.id, fullName: user.fullName, avatarUrl: user.avatarUrl, bio: user.bio, publicSettings };
}

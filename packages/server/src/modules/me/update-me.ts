import type { TUpdateMeInput, TUser } from '@ums/contract';
import type { ServiceDeps } from '../service-deps.ts';
import { changeUserProfile } from '../users/change-user-profile.ts';

/** The caller's edit of their own profile: the input schema admits profile fields only, never email or roles. */
export function updateMe(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { userId, input }: { userId: string; input: TUpdateMeInput },
): Promise<TUser> {
  const { expectedVersion, ...fields } = input;
  return changeUserProfile(deps, { userId, fields, expectedVersion, action: 'user.profile_updated' });
}

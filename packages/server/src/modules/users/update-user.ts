import type { TUpdateUserInput, TUser } from '@ums/contract';
import type { ServiceDeps } from '../service-deps.ts';
import { changeUserProfile } from './change-user-profile.ts';

/** An administrator's edit of any user's profile fields and email. */
export function updateUser(deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>, input: TUpdateUserInput): Promise<TUser> {
  const { id, expectedVersion, ...fields } = input;
  return changeUserProfile(deps, { userId: id, fields, expectedVersion, action: 'user.updated' });
}

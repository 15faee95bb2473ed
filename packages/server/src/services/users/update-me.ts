import type { TUpdateMeInput, TUser } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import type { AuditActor } from '../audit.ts';
import { changeUserProfile } from './change-user-profile.ts';

/** The caller's edit of their own profile: the input schema admits profile fields only, never email or roles. */
export function updateMe(
  db: PrismaClient,
  actor: AuditActor,
  { userId, input }: { userId: string; input: TUpdateMeInput },
): Promise<TUser> {
  const { expectedVersion, ...fields } = input;
  return changeUserProfile(db, actor, { userId, fields, expectedVersion, action: 'user.profile_updated' });
}

import type { TUpdateUserInput, TUser } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import type { AuditActor } from '../audit.ts';
import { changeUserProfile } from './change-user-profile.ts';

/** An administrator's edit of any user's profile fields and email. */
export function updateUser(db: PrismaClient, actor: AuditActor, input: TUpdateUserInput): Promise<TUser> {
  const { id, expectedVersion, ...fields } = input;
  return changeUserProfile(db, actor, { userId: id, fields, expectedVersion, action: 'user.updated' });
}

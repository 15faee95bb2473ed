import { profileFields, type TUser } from '@ums/contract';
import { findUserById, findUserIdByEmail, isUniqueViolation, type ProfileColumns, updateUserProfile } from '@ums/db';
import { diffFields, recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { getUser } from './get-user.ts';
import { lockUser } from './lock-user.ts';
import { emailTaken, userNotFound, versionConflict } from './user-errors.ts';

/** The profile fields, email first: the ones a profile write may change. */
const PROFILE_FIELDS = ['email', ...(Object.keys(profileFields) as (keyof typeof profileFields)[])] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];

export interface ProfileChange {
  userId: string;
  /** Omitted = unchanged, `null` = cleared. `email` is never null (only admins may send it). */
  fields: ProfileColumns;
  expectedVersion?: number | undefined;
  /** `user.updated` (an admin on anyone) or `user.profile_updated` (a user on themselves). */
  action: 'user.updated' | 'user.profile_updated';
}

/**
 * The one write path for profile fields: version checked and bumped atomically, only the fields that really
 * change are written, and the field-level diff is audited in the same transaction. Sending the current values
 * changes nothing: no new version, no event.
 */
export async function changeUserProfile(deps: Pick<ServiceDeps, 'db' | 'actor'>, change: ProfileChange): Promise<TUser> {
  const { userId, expectedVersion, action } = change;
  // A key holding `undefined` counts as omitted (unchanged), never as a clear.
  const fields: ProfileColumns = Object.fromEntries(Object.entries(change.fields).filter(([, value]) => value !== undefined));
  try {
    return await deps.db.transaction(async (tx) => {
      const { version } = await lockUser(tx, { id: userId, expectedVersion });
      const before = await findUserById(tx, userId);
      if (!before) throw userNotFound();
      const changes = diffFields<Record<ProfileField, string | null>>(before, fields, PROFILE_FIELDS);
      const changed = Object.keys(changes) as ProfileField[];
      if (changed.length === 0) return getUser({ db: tx }, { id: userId });
      if (fields.email !== undefined && changes.email) {
        const holder = await findUserIdByEmail(tx, fields.email);
        if (holder && holder !== userId) throw emailTaken();
      }
      const written: ProfileColumns = Object.fromEntries(changed.map((field) => [field, fields[field]]));
      if (!(await updateUserProfile(tx, { id: userId, version, fields: written }))) throw versionConflict(version);
      await recordAudit(tx, deps.actor, { action, targetType: 'user', targetId: userId, changes });
      return getUser({ db: tx }, { id: userId });
    });
  } catch (error) {
    // Two requests claiming one email at once: the unique index decides, and the loser gets the same 409.
    if (isUniqueViolation(error, 'email')) throw emailTaken(error);
    throw error;
  }
}

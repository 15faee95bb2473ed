import { profileFields, type TUser } from '@ums/contract';
import {
  clearEmailVerified,
  findUserById,
  findUserIdByEmail,
  isUniqueViolation,
  type ProfileColumns,
  updateUserProfile,
  voidAccountTokens,
} from '@ums/db';
import { diffFields, recordAudit } from '../audit/record-audit.ts';
import { sendVerificationLink } from '../email/send-verification-link.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
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
 * changes nothing: no new version, no event. A new email (an admin's change) is unproven: a verification link goes
 * to it, a notice to the old address, and links mailed to the old address stop working.
 */
export async function changeUserProfile(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  change: ProfileChange,
): Promise<TUser> {
  const { userId, expectedVersion, action } = change;
  // A key holding `undefined` counts as omitted (unchanged), never as a clear.
  const fields: ProfileColumns = Object.fromEntries(Object.entries(change.fields).filter(([, value]) => value !== undefined));
  try {
    const user = await deps.db.transaction(async (tx) => {
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
      if (written.email !== undefined) {
        await clearEmailVerified(tx, userId);
        if (before.emailVerifiedAt) changes.emailVerifiedAt = { from: before.emailVerifiedAt, to: null };
        await voidAccountTokens(tx, userId);
        const name = written.fullName !== undefined ? written.fullName : before.fullName;
        await sendVerificationLink(deps, tx, { userId, email: written.email, name, budgeted: false });
        await enqueueMail(deps, tx, { template: 'email_changed', to: before.email, params: { name, newEmail: written.email } });
      }
      await recordAudit(tx, deps.actor, { action, targetType: 'user', targetId: userId, changes });
      return getUser({ db: tx }, { id: userId });
    });
    deps.outbox.wake();
    return user;
  } catch (error) {
    // Two requests claiming one email at once: the unique index decides, and the loser gets the same 409.
    if (isUniqueViolation(error, 'email')) throw emailTaken(error);
    throw error;
  }
}

import type { TUser } from '@ums/contract';
import { Prisma, type PrismaClient } from '@ums/db';
import { AppError } from '../../errors.ts';
import { type AuditActor, diffFields, recordAudit } from '../audit.ts';
import type { Tx } from '../sessions.ts';
import { getUser } from './get-user.ts';
import { lockUserVersion, versionConflict } from './user-lock.ts';

const EDITABLE_FIELDS = ['email', 'fullName', 'phoneNumber', 'timezone', 'locale', 'avatarUrl', 'bio'] as const;
type EditableField = (typeof EDITABLE_FIELDS)[number];

/** Omitted = unchanged, `null` = cleared. `email` is never null (only admins may send it, and it is required). */
export type ProfileFields = Partial<{ email: string } & Record<Exclude<EditableField, 'email'>, string | null>>;

export interface ProfileChange {
  userId: string;
  fields: ProfileFields;
  expectedVersion?: number | undefined;
  /** `user.updated` (an admin on anyone) or `user.profile_updated` (a user on themselves). */
  action: 'user.updated' | 'user.profile_updated';
}

const editableSelect = {
  email: true,
  fullName: true,
  phoneNumber: true,
  timezone: true,
  locale: true,
  avatarUrl: true,
  bio: true,
} as const satisfies Prisma.UserSelect;

/**
 * The one write path for profile fields: version checked and bumped atomically, only the fields that really
 * change are written, and the field-level diff is audited in the same transaction. Sending the current values
 * changes nothing: no new version, no event.
 */
export async function changeUserProfile(db: PrismaClient, actor: AuditActor, change: ProfileChange): Promise<TUser> {
  const { userId, expectedVersion, action } = change;
  // A key holding `undefined` counts as omitted (unchanged), never as a clear.
  const fields: ProfileFields = Object.fromEntries(Object.entries(change.fields).filter(([, value]) => value !== undefined));
  try {
    return await db.$transaction(async (tx) => {
      const version = await lockUserVersion(tx, userId, expectedVersion);
      const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: editableSelect });
      const changes = diffFields<Record<EditableField, string | null>>(before, fields, EDITABLE_FIELDS);
      const changed = Object.keys(changes) as EditableField[];
      if (changed.length === 0) return getUser(tx, { id: userId });
      if (fields.email !== undefined && changes.email) await assertEmailFree(tx, fields.email, userId);

      const data: Prisma.UserUpdateManyMutationInput = Object.fromEntries(changed.map((field) => [field, fields[field]]));
      // The timezone is also the `timezone` preference: its views' version moves with it.
      const settingsVersion = changes.timezone ? { settingsVersion: { increment: 1 } } : {};
      const written = await tx.user.updateMany({
        where: { id: userId, version },
        data: { ...data, ...settingsVersion, version: { increment: 1 } },
      });
      if (written.count !== 1) throw versionConflict(version);
      await recordAudit(tx, actor, { action, targetType: 'user', targetId: userId, changes });
      return getUser(tx, { id: userId });
    });
  } catch (error) {
    // Two requests claiming one email at once: the unique index decides, and the loser gets the same 409.
    if (isUniqueViolation(error, 'email')) throw emailTaken(error);
    throw error;
  }
}

async function assertEmailFree(tx: Tx, email: string, userId: string): Promise<void> {
  const holder = await tx.user.findUnique({ where: { email }, select: { id: true } });
  if (holder && holder.id !== userId) throw emailTaken();
}

const emailTaken = (cause?: unknown) => new AppError('CONFLICT', 'This email address is already in use', { cause });

function isUniqueViolation(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  return JSON.stringify(error.meta ?? {}).includes(field);
}

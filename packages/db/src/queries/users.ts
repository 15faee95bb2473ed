import { ADMIN_ROLE, type profileFields } from '@ums/contract';
import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

/**
 * A user as the API shows them: the one projection every read of a whole user goes through. Nothing secret. Its
 * timestamps are only ever shown, never computed with, so PostgreSQL formats them as the API's ISO-8601 text (the
 * same on both drivers): a page of users costs no date parsing and formatting per value.
 */
export interface UserRow {
  id: string;
  email: string;
  fullName: string | null;
  phoneNumber: string | null;
  timezone: string | null;
  locale: string | null;
  avatarUrl: string | null;
  bio: string | null;
  isActive: boolean;
  roles: string[];
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  deactivatedAt: string | null;
  emailVerifiedAt: string | null;
  /** A confirmed second factor (TOTP; passkeys later). */
  mfaEnabled: boolean;
  version: number;
}

/** A timestamptz(3) column as the text `Date.prototype.toISOString` makes. */
const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// A confirmed TOTP factor or any passkey: each counts as a second factor.
const hasSecondFactorSql =
  '(EXISTS (SELECT 1 FROM mfa_totp_factors f WHERE f.user_id = u.id AND f.confirmed_at IS NOT NULL) OR EXISTS (SELECT 1 FROM passkeys pk WHERE pk.user_id = u.id))';
/** Whether the user `u` has a confirmed second factor, as SQL over `users u`. A fixed string, no input. */
export const hasSecondFactor = Prisma.raw(hasSecondFactorSql);

const userColumns = {
  id: 'u.id',
  email: 'u.email',
  fullName: 'u.full_name',
  phoneNumber: 'u.phone_number',
  timezone: 'u.timezone',
  locale: 'u.locale',
  avatarUrl: 'u.avatar_url',
  bio: 'u.bio',
  isActive: 'u.is_active',
  roles: 'ARRAY(SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id ORDER BY r.name)',
  createdAt: isoText('u.created_at'),
  updatedAt: isoText('u.updated_at'),
  lastLoginAt: isoText('u.last_login_at'),
  deactivatedAt: isoText('u.deactivated_at'),
  emailVerifiedAt: isoText('u.email_verified_at'),
  mfaEnabled: hasSecondFactorSql,
  version: 'u.version',
} as const satisfies Record<keyof UserRow, string>;

/** `userColumns` as a select list over `users u`, each column named as UserRow names it. A fixed string, no input. */
export const userProjection = Prisma.raw(
  Object.entries(userColumns)
    .map(([field, column]) => `${column} AS "${field}"`)
    .join(', '),
);

/** One user (active or not), or null. */
export async function findUserById(db: DbHandle, id: string): Promise<UserRow | null> {
  const [row] = await db.query<UserRow>(Prisma.sql`SELECT ${userProjection} FROM users u WHERE u.id = ${id}::uuid`);
  return row ?? null;
}

export async function findUserIdByEmail(db: DbHandle, email: string): Promise<string | null> {
  const holder = await db.prisma.user.findUnique({ where: { email }, select: { id: true } });
  return holder?.id ?? null;
}

/** What a row lock reads: the versions and the sign-in state, so every locking writer checks what it needs. */
export interface LockedUser {
  version: number;
  isActive: boolean;
  email: string;
  fullName: string | null;
  emailVerifiedAt: Date | null;
  passwordHash: string;
  failedLogins: number;
  lockouts: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  updatedAt: Date;
}

/**
 * The one row lock of a user: until the transaction ends, every other writer of this user waits, then sees what
 * this one wrote. Null for an unknown user.
 */
export async function lockUserRow(tx: DbHandle, id: string): Promise<LockedUser | null> {
  const [row] = await tx.query<LockedUser>(Prisma.sql`
    SELECT version, is_active AS "isActive", email, full_name AS "fullName", email_verified_at AS "emailVerifiedAt", password_hash AS "passwordHash", failed_logins AS "failedLogins", lockouts,
           locked_until AS "lockedUntil", last_login_at AS "lastLoginAt", updated_at AS "updatedAt"
      FROM users
     WHERE id = ${id}::uuid
       FOR UPDATE`);
  return row ?? null;
}

/** What sign-in needs to judge an attempt before it takes any lock. */
export async function findSignInAccount(db: DbHandle, email: string) {
  return db.prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      isActive: true,
      passwordHash: true,
      lockedUntil: true,
      emailVerifiedAt: true,
      totp: { select: { confirmedAt: true } },
    },
  });
}

/** Who a mailed link may be sent to: the account of an address, with what decides whether it gets one. */
export async function findMailRecipient(db: DbHandle, email: string) {
  return db.prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, isActive: true, emailVerifiedAt: true, fullName: true },
  });
}

/** The address and name mail to a user goes to, active or not. */
export async function findMailAddress(db: DbHandle, id: string) {
  return db.prisma.user.findUnique({ where: { id }, select: { email: true, fullName: true } });
}

/** Marks the current address proven (a no-op when it already is) and bumps the version. */
export async function markEmailVerified(tx: DbHandle, id: string, at: Date): Promise<void> {
  await tx.prisma.user.update({ where: { id }, data: { emailVerifiedAt: at, version: { increment: 1 } }, select: { id: true } });
}

/** A confirmed email change: the new address, proven by the link that confirmed it. */
export async function writeConfirmedEmail(tx: DbHandle, id: string, { email, at }: { email: string; at: Date }): Promise<void> {
  await tx.prisma.user.update({ where: { id }, data: { email, emailVerifiedAt: at, version: { increment: 1 } }, select: { id: true } });
}

/** An admin's email change leaves the new address unproven until its owner follows the link. */
export async function clearEmailVerified(tx: DbHandle, id: string): Promise<void> {
  await tx.prisma.user.update({ where: { id }, data: { emailVerifiedAt: null }, select: { id: true } });
}

/** A password set through a reset link: the new hash, and the login lockout cleared. */
export async function writeResetPassword(tx: DbHandle, id: string, passwordHash: string): Promise<void> {
  await tx.prisma.user.update({
    where: { id },
    data: { passwordHash, failedLogins: 0, lockouts: 0, lockedUntil: null },
    select: { id: true },
  });
}

export async function findCredentials(db: DbHandle, id: string) {
  return db.prisma.user.findUnique({ where: { id }, select: { email: true, passwordHash: true } });
}

export interface NewUser {
  email: string;
  passwordHash: string;
  fullName?: string | null;
  lastLoginAt?: Date | null;
  emailVerifiedAt?: Date | null;
  roleIds: readonly string[];
}

/** A new account with its roles; a taken email fails on the unique index (see isUniqueViolation). */
export async function insertUser(tx: DbHandle, user: NewUser): Promise<string> {
  const { roleIds, ...fields } = user;
  const created = await tx.prisma.user.create({
    data: { ...fields, roles: { create: roleIds.map((roleId) => ({ roleId })) } },
    select: { id: true },
  });
  return created.id;
}

/** The fields a user's profile is made of, as stored: omitted = unchanged, null = cleared. */
export type ProfileColumns = Partial<Pick<UserRow, 'email' | keyof typeof profileFields>>;

/**
 * Writes profile fields and bumps the version, only if the version is still `version` (false otherwise). A timezone
 * change moves the settings version too: the timezone is also a setting.
 */
export async function updateUserProfile(
  tx: DbHandle,
  { id, version, fields }: { id: string; version: number; fields: ProfileColumns },
): Promise<boolean> {
  const settingsVersion = 'timezone' in fields ? { settingsVersion: { increment: 1 } } : {};
  const written = await tx.prisma.user.updateMany({
    where: { id, version },
    data: { ...fields, ...settingsVersion, version: { increment: 1 } },
  });
  return written.count === 1;
}

/** A new password hash, only if the stored one is still `expectedHash`: of two concurrent changes one wins. */
export async function replacePasswordHash(
  tx: DbHandle,
  { id, expectedHash, passwordHash }: { id: string; expectedHash: string; passwordHash: string },
): Promise<boolean> {
  const changed = await tx.prisma.user.updateMany({ where: { id, passwordHash: expectedHash }, data: { passwordHash } });
  return changed.count === 1;
}

export interface SignInCounters {
  failedLogins: number;
  lockouts: number;
  lockedUntil: Date | null;
  lastLoginAt?: Date;
  /** An upgraded hash of the password just verified. */
  passwordHash?: string;
}

/** Sign-in bookkeeping: not a profile change, so `updatedAt` is written back as it was (`keepUpdatedAt`). */
export async function writeSignInCounters(tx: DbHandle, id: string, counters: SignInCounters, keepUpdatedAt: Date): Promise<void> {
  await tx.prisma.user.update({ where: { id }, data: { ...counters, updatedAt: keepUpdatedAt }, select: { id: true } });
}

export type Activation = {
  isActive: boolean;
  deactivatedAt: Date | null;
  deactivatedBy: string | null;
  deactivationReason: string | null;
};

/** Deactivates or reactivates, with who, when and why (cleared on reactivation); bumps the version. */
export async function writeActivation(tx: DbHandle, id: string, activation: Activation): Promise<void> {
  await tx.prisma.user.update({ where: { id }, data: { ...activation, version: { increment: 1 } }, select: { id: true } });
}

export async function findActivation(db: DbHandle, id: string): Promise<Activation | null> {
  return db.prisma.user.findUnique({
    where: { id },
    select: { isActive: true, deactivatedAt: true, deactivatedBy: true, deactivationReason: true },
  });
}

/** The names of the user's roles, sorted. */
export async function findUserRoleNames(db: DbHandle, userId: string): Promise<string[]> {
  const links = await db.prisma.userRole.findMany({ where: { userId }, select: { role: { select: { name: true } } } });
  return links.map((link) => link.role.name).sort();
}

/** Makes the user's roles exactly `roleIds` and bumps the user's version. */
export async function replaceUserRoles(tx: DbHandle, userId: string, roleIds: readonly string[]): Promise<void> {
  await tx.prisma.userRole.deleteMany({ where: { userId, roleId: { notIn: [...roleIds] } } });
  await addUserRoles(tx, userId, roleIds);
  await tx.prisma.user.update({ where: { id: userId }, data: { version: { increment: 1 } }, select: { id: true } });
}

/** Adds roles the user does not hold yet. */
export async function addUserRoles(tx: DbHandle, userId: string, roleIds: readonly string[]): Promise<void> {
  await tx.prisma.userRole.createMany({ data: roleIds.map((roleId) => ({ userId, roleId })), skipDuplicates: true });
}

/**
 * Serialises every change that could remove an active admin (deactivation, role changes), so two concurrent
 * changes cannot each see "one other admin left" and together leave none. Take it first in the transaction.
 */
export async function lockAdminRole(tx: DbHandle): Promise<void> {
  await tx.query(Prisma.sql`SELECT id FROM roles WHERE name = ${ADMIN_ROLE} FOR UPDATE`);
}

export async function countActiveAdmins(db: DbHandle): Promise<number> {
  return db.prisma.user.count({ where: { isActive: true, roles: { some: { role: { name: ADMIN_ROLE } } } } });
}

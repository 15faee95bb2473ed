import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

export interface TotpFactorRow {
  sealedSecret: string;
  confirmedAt: Date | null;
}

/** The user's TOTP factor, confirmed or not, or null. */
export async function findTotpFactor(db: DbHandle, userId: string): Promise<TotpFactorRow | null> {
  return db.prisma.mfaTotpFactor.findUnique({ where: { userId }, select: { sealedSecret: true, confirmedAt: true } });
}

/**
 * Stores a new unconfirmed secret, replacing an unconfirmed one; a confirmed factor is never replaced (false).
 * One statement, so two concurrent set-ups cannot leave a confirmed factor with another secret.
 */
export async function saveUnconfirmedTotp(
  tx: DbHandle,
  { userId, sealedSecret, keyId }: { userId: string; sealedSecret: string; keyId: string },
) {
  const written = await tx.execute(Prisma.sql`
    INSERT INTO mfa_totp_factors (user_id, sealed_secret, key_id)
    VALUES (${userId}::uuid, ${sealedSecret}, ${keyId})
    ON CONFLICT (user_id) DO UPDATE
       SET sealed_secret = EXCLUDED.sealed_secret, key_id = EXCLUDED.key_id, created_at = now(), last_used_step = 0
     WHERE mfa_totp_factors.confirmed_at IS NULL`);
  return written === 1;
}

/**
 * Accepts the time step `step` for the user's factor (confirmed or, for its first code, not yet): the one
 * compare-and-set that makes each step usable once. Only a step later than the last accepted one wins, so a replayed
 * code, a code of the same step, or an older neighbouring one fails, and of two concurrent uses exactly one succeeds.
 */
export async function claimTotpStep(tx: DbHandle, { userId, step, confirmed }: { userId: string; step: number; confirmed: boolean }) {
  const claimed = await tx.execute(Prisma.sql`
    UPDATE mfa_totp_factors SET last_used_step = ${step}::bigint
     WHERE user_id = ${userId}::uuid AND last_used_step < ${step}::bigint
       AND (confirmed_at IS NOT NULL) = ${confirmed}`);
  return claimed === 1;
}

/** Marks the factor confirmed; false when it was not waiting for confirmation. */
export async function confirmTotpFactor(tx: DbHandle, userId: string, at: Date): Promise<boolean> {
  const confirmed = await tx.prisma.mfaTotpFactor.updateMany({ where: { userId, confirmedAt: null }, data: { confirmedAt: at } });
  return confirmed.count === 1;
}

/** Removes every factor, recovery code and pending sign-in challenge of the user; says whether TOTP was on. */
export async function deleteMfaFactors(tx: DbHandle, userId: string): Promise<{ totpWasConfirmed: boolean; recoveryCodes: number }> {
  const [factor] = await tx.query<{ confirmed: boolean }>(Prisma.sql`
    DELETE FROM mfa_totp_factors WHERE user_id = ${userId}::uuid RETURNING confirmed_at IS NOT NULL AS confirmed`);
  const unused = await tx.prisma.mfaRecoveryCode.count({ where: { userId, usedAt: null } });
  await tx.prisma.mfaRecoveryCode.deleteMany({ where: { userId } });
  await tx.prisma.mfaChallenge.deleteMany({ where: { userId } });
  return { totpWasConfirmed: factor?.confirmed ?? false, recoveryCodes: unused };
}

/** The user's recovery codes become these (hashes); the old ones stop working. */
export async function replaceRecoveryCodes(tx: DbHandle, userId: string, codeHashes: readonly string[]): Promise<void> {
  await tx.prisma.mfaRecoveryCode.deleteMany({ where: { userId } });
  await tx.prisma.mfaRecoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash })) });
}

/** Uses one recovery code up: one conditional UPDATE, so of two concurrent uses of a code exactly one succeeds. */
export async function consumeRecoveryCode(tx: DbHandle, { userId, codeHash }: { userId: string; codeHash: string }): Promise<boolean> {
  const used = await tx.execute(Prisma.sql`
    UPDATE mfa_recovery_codes SET used_at = now()
     WHERE user_id = ${userId}::uuid AND code_hash = ${codeHash} AND used_at IS NULL`);
  return used === 1;
}

export async function countRecoveryCodesLeft(db: DbHandle, userId: string): Promise<number> {
  return db.prisma.mfaRecoveryCode.count({ where: { userId, usedAt: null } });
}

/** Whether any role the user holds requires a second factor. */
export async function holdsRoleRequiringMfa(db: DbHandle, userId: string): Promise<boolean> {
  const [row] = await db.query<{ required: boolean }>(Prisma.sql`
    SELECT EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                    WHERE ur.user_id = ${userId}::uuid AND r.require_mfa) AS required`);
  return row?.required ?? false;
}

export interface MfaChallengeRow {
  id: string;
  userId: string;
  attempts: number;
}

export async function insertMfaChallenge(tx: DbHandle, challenge: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
  await tx.prisma.mfaChallenge.create({ data: challenge, select: { id: true } });
}

/** The challenge of this token if it can still be answered: not used, not expired, fewer than `maxAttempts` wrong codes. */
export async function findLiveMfaChallenge(db: DbHandle, tokenHash: string, maxAttempts: number): Promise<MfaChallengeRow | null> {
  const [row] = await db.query<MfaChallengeRow>(Prisma.sql`
    SELECT id, user_id AS "userId", attempts FROM mfa_challenges
     WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > now() AND attempts < ${maxAttempts}::int`);
  return row ?? null;
}

/** Counts a wrong code against the challenge; returns the attempts now made, or null when it was no longer live. */
export async function countMfaChallengeFailure(tx: DbHandle, id: string): Promise<number | null> {
  const [row] = await tx.query<{ attempts: number }>(Prisma.sql`
    UPDATE mfa_challenges SET attempts = attempts + 1
     WHERE id = ${id}::uuid AND used_at IS NULL AND expires_at > now()
    RETURNING attempts`);
  return row?.attempts ?? null;
}

/** Uses the challenge up if it is still live: of two concurrent second steps exactly one gets it. */
export async function claimMfaChallenge(tx: DbHandle, id: string, maxAttempts: number): Promise<boolean> {
  const claimed = await tx.execute(Prisma.sql`
    UPDATE mfa_challenges SET used_at = now()
     WHERE id = ${id}::uuid AND used_at IS NULL AND expires_at > now() AND attempts < ${maxAttempts}::int`);
  return claimed === 1;
}

/** Marks the session as having just proven `method` (auth.reauthenticate): "recent" counts from now. */
export async function markSessionAuthenticated(tx: DbHandle, sessionId: string, method: string): Promise<void> {
  await tx.execute(Prisma.sql`
    UPDATE sessions
       SET authenticated_at = now(),
           methods = ARRAY(SELECT DISTINCT m FROM unnest(coalesce(methods, ARRAY[]::text[]) || ARRAY[${method}]::text[]) AS m ORDER BY m)
     WHERE id = ${sessionId}::uuid`);
}

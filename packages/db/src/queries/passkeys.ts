import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

export interface PasskeyRow {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  backedUp: boolean;
  transports: string[];
}

export interface PasskeyCredentialRow {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
}

const passkeySelect = { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true, transports: true } as const;

export async function listPasskeys(db: DbHandle, userId: string): Promise<PasskeyRow[]> {
  return db.prisma.passkey.findMany({ where: { userId }, select: passkeySelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

export async function countPasskeys(db: DbHandle, userId: string): Promise<number> {
  return db.prisma.passkey.count({ where: { userId } });
}

/** The credential ids of the user's passkeys, with their transports: excluded at registration, allowed at sign-in. */
export async function listPasskeyCredentials(db: DbHandle, userId: string): Promise<{ credentialId: string; transports: string[] }[]> {
  return db.prisma.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } });
}

export async function findPasskeyCredential(db: DbHandle, credentialId: string): Promise<PasskeyCredentialRow | null> {
  const row = await db.prisma.passkey.findUnique({
    where: { credentialId },
    select: { id: true, userId: true, credentialId: true, publicKey: true, counter: true, transports: true },
  });
  return row && { ...row, publicKey: new Uint8Array(row.publicKey), counter: Number(row.counter) };
}

/** Stores a new passkey; null when its credential id is already registered (to this or any other account). */
export async function insertPasskey(
  tx: DbHandle,
  passkey: {
    userId: string;
    credentialId: string;
    publicKey: Uint8Array;
    counter: number;
    transports: string[];
    backedUp: boolean;
    name: string;
  },
): Promise<PasskeyRow | null> {
  // ON CONFLICT DO NOTHING: a duplicate must not abort the caller's transaction.
  const { publicKey, ...rest } = passkey;
  const created = await tx.prisma.passkey.createMany({ data: [{ ...rest, publicKey: Buffer.from(publicKey) }], skipDuplicates: true });
  if (created.count !== 1) return null;
  return tx.prisma.passkey.findUnique({ where: { credentialId: passkey.credentialId }, select: passkeySelect });
}

/**
 * Accepts a sign-in's signature counter: one compare-and-set, so the counter only moves forward. An authenticator
 * that keeps no counter sends 0 every time (allowed while the stored one is 0 too); any other value must be greater
 * than the stored one. False: the counter went backwards (or stood still), the sign of a cloned credential.
 */
export async function advancePasskeyCounter(tx: DbHandle, { id, counter, backedUp }: { id: string; counter: number; backedUp: boolean }) {
  const advanced = await tx.execute(Prisma.sql`
    UPDATE passkeys SET counter = ${counter}::bigint, backed_up = ${backedUp}, last_used_at = now()
     WHERE id = ${id}::uuid AND ((counter = 0 AND ${counter}::bigint = 0) OR counter < ${counter}::bigint)`);
  return advanced === 1;
}

export async function renamePasskey(tx: DbHandle, { userId, id, name }: { userId: string; id: string; name: string }) {
  const renamed = await tx.prisma.passkey.updateMany({ where: { id, userId }, data: { name } });
  return renamed.count === 1 ? tx.prisma.passkey.findUnique({ where: { id }, select: passkeySelect }) : null;
}

/** Deletes the user's passkey; null when it is not theirs (or gone). */
export async function deletePasskey(tx: DbHandle, { userId, id }: { userId: string; id: string }): Promise<{ name: string } | null> {
  const [row] = await tx.query<{ name: string }>(Prisma.sql`
    DELETE FROM passkeys WHERE id = ${id}::uuid AND user_id = ${userId}::uuid RETURNING name`);
  return row ?? null;
}

/**
 * `register`: bound to a session. `sign_in`: any discoverable credential. `sign_in_account`: bound to the account an
 * email named (`user_id` null when there is none: nothing can answer it). `second_step`: bound to an mfaToken.
 */
/** Every passkey of the user, and their pending challenges (an administrator's MFA reset); the number removed. */
export async function deleteAllPasskeys(tx: DbHandle, userId: string): Promise<number> {
  await tx.prisma.passkeyChallenge.deleteMany({ where: { userId } });
  return (await tx.prisma.passkey.deleteMany({ where: { userId } })).count;
}

export type PasskeyChallengePurpose = 'register' | 'sign_in' | 'sign_in_account' | 'second_step';

export interface PasskeyChallengeRow {
  purpose: PasskeyChallengePurpose;
  challenge: string;
  userId: string | null;
  sessionId: string | null;
  mfaTokenHash: string | null;
}

export async function insertPasskeyChallenge(
  tx: DbHandle,
  challenge: {
    purpose: PasskeyChallengePurpose;
    challenge: string;
    userId?: string | null;
    sessionId?: string | null;
    mfaTokenHash?: string | null;
    expiresAt: Date;
  },
): Promise<string> {
  const row = await tx.prisma.passkeyChallenge.create({ data: challenge, select: { id: true } });
  return row.id;
}

/**
 * Uses a live challenge up: one conditional UPDATE … RETURNING, so of two uses of one challenge exactly one gets it,
 * whatever comes of the response it came with. `id` (a sign-in attempt) or `sessionId` with the challenge the client
 * signed (a registration) names it.
 */
export async function consumePasskeyChallenge(
  tx: DbHandle,
  where: { purposes: PasskeyChallengePurpose[] } & ({ id: string } | { sessionId: string; challenge: string }),
): Promise<PasskeyChallengeRow | null> {
  const match =
    'id' in where
      ? Prisma.sql`id = ${where.id}::uuid`
      : Prisma.sql`session_id = ${where.sessionId}::uuid AND challenge = ${where.challenge}`;
  const [row] = await tx.query<PasskeyChallengeRow>(Prisma.sql`
    UPDATE passkey_challenges SET used_at = now()
     WHERE ${match} AND purpose = ANY(${where.purposes}::text[]) AND used_at IS NULL AND expires_at > now()
    RETURNING purpose, challenge, user_id AS "userId", session_id AS "sessionId", mfa_token_hash AS "mfaTokenHash"`);
  return row ?? null;
}

/** Challenges that can no longer be used: expired more than a day ago. Called when new ones are made. */
export async function deleteStalePasskeyChallenges(db: DbHandle): Promise<void> {
  await db.execute(Prisma.sql`DELETE FROM passkey_challenges WHERE expires_at < now() - interval '1 day'`);
}

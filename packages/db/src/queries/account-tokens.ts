import { Prisma } from '../generated/prisma/client.ts';
import type { AccountTokenPurpose } from '../generated/prisma/enums.ts';
import type { DbHandle } from '../handle.ts';

export type { AccountTokenPurpose };

export interface NewAccountToken {
  userId: string;
  purpose: AccountTokenPurpose;
  tokenHash: string;
  email: string;
  expiresAt: Date;
}

/** What a live token proves: whose it is and the address it was mailed to. */
export interface RedeemableToken {
  id: string;
  userId: string;
  email: string;
}

/** Stores a new token of its purpose and voids the user's older live ones of that purpose, in one transaction. */
export async function replaceAccountToken(tx: DbHandle, token: NewAccountToken): Promise<void> {
  await voidAccountTokens(tx, token.userId, token.purpose);
  await tx.prisma.accountToken.create({ data: token, select: { id: true } });
}

/** Voids the user's live tokens: of one purpose, or of every purpose (a password or email change). */
export async function voidAccountTokens(tx: DbHandle, userId: string, purpose?: AccountTokenPurpose): Promise<number> {
  const voided = await tx.prisma.accountToken.updateMany({
    where: { userId, usedAt: null, voidedAt: null, ...(purpose ? { purpose } : {}) },
    data: { voidedAt: new Date() },
  });
  return voided.count;
}

/** The live token with this hash and purpose (not used, not voided, not expired), without using it up. */
export async function findRedeemableToken(db: DbHandle, purpose: AccountTokenPurpose, tokenHash: string): Promise<RedeemableToken | null> {
  const [row] = await db.query<RedeemableToken>(Prisma.sql`
    SELECT id, user_id AS "userId", email
      FROM account_tokens
     WHERE token_hash = ${tokenHash} AND purpose = ${purpose}::account_token_purpose
       AND used_at IS NULL AND voided_at IS NULL AND expires_at > now()`);
  return row ?? null;
}

/**
 * Uses the token up, if it is still live: one conditional UPDATE, so of two concurrent redemptions exactly one gets
 * the row back. Inside the transaction of what the token allows, a rollback leaves it usable.
 */
export async function redeemAccountToken(tx: DbHandle, purpose: AccountTokenPurpose, tokenHash: string): Promise<RedeemableToken | null> {
  const [row] = await tx.query<RedeemableToken>(Prisma.sql`
    UPDATE account_tokens SET used_at = now()
     WHERE token_hash = ${tokenHash} AND purpose = ${purpose}::account_token_purpose
       AND used_at IS NULL AND voided_at IS NULL AND expires_at > now()
    RETURNING id, user_id AS "userId", email`);
  return row ?? null;
}

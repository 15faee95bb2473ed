import { type DbHandle, replaceRecoveryCodes } from '@ums/db';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';

/** A new set of recovery codes in the caller's transaction, replacing the old; the plain codes go to the caller once. */
export async function issueRecoveryCodes(tx: DbHandle, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(tx, userId, codes.map(hashRecoveryCode));
  return codes;
}

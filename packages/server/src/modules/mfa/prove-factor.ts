import { claimTotpStep, consumeRecoveryCode, type DbHandle, findTotpFactor } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { hashRecoveryCode } from './recovery-codes.ts';
import { totpStepOf } from './totp.ts';

/** A second factor as a caller presents it: a TOTP code, or one recovery code. */
export type FactorProof = { code: string } | { recoveryCode: string };

/**
 * Checks a TOTP code against the user's factor (the confirmed one, or with `pending` the one awaiting its first
 * code) and uses its time step up, inside the caller's transaction: a code of a step already used, or of an earlier
 * one, fails, and so does the loser of two concurrent uses of one code.
 */
export async function proveTotpCode(
  { secrets }: Pick<ServiceDeps, 'secrets'>,
  tx: DbHandle,
  { userId, code, pending = false }: { userId: string; code: string; pending?: boolean },
): Promise<boolean> {
  const factor = await findTotpFactor(tx, userId);
  if (!factor || (factor.confirmedAt === null) !== pending) return false;
  const step = totpStepOf(secrets.open(factor.sealedSecret), code);
  return step !== null && claimTotpStep(tx, { userId, step, confirmed: !pending });
}

/**
 * Proves a second factor in the caller's transaction; returns the method it proved, or null. A recovery code is
 * used up by the proof (its event `mfa.recovery_code_used` is written with it).
 */
export async function proveSecondFactor(
  deps: Pick<ServiceDeps, 'secrets' | 'actor'>,
  tx: DbHandle,
  userId: string,
  proof: FactorProof,
): Promise<'totp' | 'recovery_code' | null> {
  if ('code' in proof) return (await proveTotpCode(deps, tx, { userId, code: proof.code })) ? 'totp' : null;
  if (!(await consumeRecoveryCode(tx, { userId, codeHash: hashRecoveryCode(proof.recoveryCode) }))) return null;
  await recordAudit(tx, deps.actor, { action: 'mfa.recovery_code_used', targetType: 'user', targetId: userId });
  return 'recovery_code';
}

/** A code typed into one field (`me.mfa.totp.disable`): six digits are a TOTP code, anything else a recovery code. */
export const proofOfCode = (code: string): FactorProof =>
  /^\d{6}$/.test(code.replace(/\s+/g, '')) ? { code: code.replace(/\s+/g, '') } : { recoveryCode: code };

import type { TPasskeyProof } from '@ums/contract';
import {
  advancePasskeyCounter,
  consumePasskeyChallenge,
  type DbHandle,
  findPasskeyCredential,
  type PasskeyChallengePurpose,
} from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { passkeyCounterRegression, passkeyInvalid } from './passkey-errors.ts';
import { verifyAuthentication } from './webauthn.ts';

export interface ProvenPasskey {
  userId: string;
  passkeyId: string;
  counter: number;
  backedUp: boolean;
}

/**
 * Checks a passkey assertion for a sign-in attempt. The attempt's challenge is used up first, in its own statement
 * (of two uses exactly one gets it, and a failed try burns it too); then the credential must be registered, belong
 * to the account the attempt is bound to (an email's account, an mfaToken's), and its signature verify for this RP
 * and origin with user verification. The counter is checked afterwards by `acceptPasskeyCounter`, in the sign-in's
 * transaction.
 */
export async function provePasskey(
  { db, config }: Pick<ServiceDeps, 'db' | 'config'>,
  { attemptId, response }: TPasskeyProof,
  { purposes, mfaTokenHash }: { purposes: PasskeyChallengePurpose[]; mfaTokenHash?: string },
): Promise<ProvenPasskey> {
  const attempt = await consumePasskeyChallenge(db, { purposes, id: attemptId });
  if (!attempt) throw passkeyInvalid();
  if (mfaTokenHash !== undefined && attempt.mfaTokenHash !== mfaTokenHash) throw passkeyInvalid();
  const credential = await findPasskeyCredential(db, response.id);
  if (!credential) throw passkeyInvalid();
  const bound = attempt.purpose !== 'sign_in';
  if (bound && attempt.userId !== credential.userId) throw passkeyInvalid();
  const userHandle = response.response.userHandle;
  if (userHandle !== undefined && Buffer.from(userHandle, 'base64url').toString('utf8') !== credential.userId) throw passkeyInvalid();
  const verified = await verifyAuthentication(config.webauthn, response, attempt.challenge, credential);
  if (!verified) throw passkeyInvalid();
  return { userId: credential.userId, passkeyId: credential.id, ...verified };
}

/** The counter's compare-and-set, inside the sign-in's transaction: false when it went backwards. */
export async function acceptPasskeyCounter(tx: DbHandle, proven: ProvenPasskey): Promise<boolean> {
  return advancePasskeyCounter(tx, { id: proven.passkeyId, counter: proven.counter, backedUp: proven.backedUp });
}

/** A counter that went backwards: its own committed event (the sign-in rolled back), then the 400. */
export async function refuseCounterRegression(deps: Pick<ServiceDeps, 'db' | 'actor'>, proven: ProvenPasskey): Promise<never> {
  await deps.db.transaction(async (tx) => {
    await recordAudit(
      tx,
      { ...deps.actor, actorId: proven.userId },
      {
        action: 'passkey.counter_regression',
        targetType: 'user',
        targetId: proven.userId,
        changes: { passkeyId: { from: null, to: proven.passkeyId }, counter: { from: null, to: proven.counter } },
      },
    );
  });
  throw passkeyCounterRegression();
}

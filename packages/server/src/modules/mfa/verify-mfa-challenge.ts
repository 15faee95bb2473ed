import type { TLoginResult, TMfaVerifyInput } from '@ums/contract';
import { claimMfaChallenge, countMfaChallengeFailure, findLiveMfaChallenge, type MfaChallengeRow } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { completeSignIn, lockSignInState } from '../auth/complete-sign-in.ts';
import { recordFailedLogin } from '../auth/login-lockout.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { mfaTokenInvalid, wrongSecondFactor } from './mfa-errors.ts';
import { type FactorProof, proveSecondFactor } from './prove-factor.ts';
import { hashMfaToken, MFA_MAX_ATTEMPTS } from './start-mfa-challenge.ts';

/**
 * The second sign-in step: the mfaToken of `auth.login` and a TOTP or recovery code. Only here is the session
 * created (its methods: password and the factor). The account's row lock orders concurrent answers of one
 * account, and the code's step (or the recovery code) and the token are each used up by a conditional UPDATE: two
 * concurrent answers with one code make one session. A wrong code counts against the token (void after 5) and as a
 * failed sign-in for the lockout.
 */
export async function verifyMfaChallenge(deps: ServiceDeps, input: TMfaVerifyInput): Promise<TLoginResult> {
  const challenge = await findLiveMfaChallenge(deps.db, hashMfaToken(input.mfaToken), MFA_MAX_ATTEMPTS);
  if (!challenge) throw mfaTokenInvalid();
  const self = { ...deps, actor: { ...deps.actor, actorId: challenge.userId } };
  const proof: FactorProof = input.code !== undefined ? { code: input.code } : { recoveryCode: input.recoveryCode ?? '' };

  const signedIn = await deps.db.transaction(async (tx) => {
    const now = new Date();
    const state = await lockSignInState(tx, challenge.userId, now);
    const method = await proveSecondFactor(self, tx, challenge.userId, proof);
    if (!method) return null;
    if (!(await claimMfaChallenge(tx, challenge.id, MFA_MAX_ATTEMPTS))) throw mfaTokenInvalid();
    return completeSignIn(deps, tx, { userId: challenge.userId, state, now, methods: ['password', method] });
  });
  if (signedIn) return signedIn;
  await recordWrongCode(self, challenge, 'code' in proof ? 'totp' : 'recovery_code');
  throw wrongSecondFactor();
}

/** Commits on its own, before the 401: the attempt on the token, its event, and the failed sign-in. */
async function recordWrongCode(deps: Pick<ServiceDeps, 'db' | 'actor' | 'config'>, challenge: MfaChallengeRow, method: string) {
  await deps.db.transaction(async (tx) => {
    const attempts = await countMfaChallengeFailure(tx, challenge.id);
    await recordAudit(tx, deps.actor, {
      action: 'auth.mfa_failed',
      targetType: 'user',
      targetId: challenge.userId,
      changes: { method: { from: null, to: method }, attempts: { from: challenge.attempts, to: attempts ?? challenge.attempts } },
    });
  });
  await recordFailedLogin(deps, { userId: challenge.userId });
}

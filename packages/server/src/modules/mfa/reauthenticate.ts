import type { TReauthenticateInput } from '@ums/contract';
import { findCredentials, markSessionAuthenticated } from '@ums/db';
import { fieldError } from '../../app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionEnded } from '../auth/auth-errors.ts';
import { verifyPassword } from '../auth/passwords.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { wrongCodeField } from './mfa-errors.ts';
import { proveSecondFactor } from './prove-factor.ts';

export interface Reauthentication {
  userId: string;
  sessionId: string;
  /** The caller has a second factor: then a password alone does not step the session up. */
  mfaEnabled: boolean;
  input: TReauthenticateInput;
}

/**
 * Proves a factor again on the current session and marks it as just authenticated, so "recent" procedures pass for
 * REAUTH_MAX_AGE. With MFA on, only a second factor does: a stolen session that learnt the password cannot step up.
 */
export async function reauthenticate(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets'>,
  { userId, sessionId, mfaEnabled, input }: Reauthentication,
): Promise<void> {
  if (input.password !== undefined) {
    if (mfaEnabled) throw fieldError(['code'], 'is required: two-factor authentication is on, give a code or a recovery code');
    const account = await findCredentials(deps.db, userId);
    if (!account) throw sessionEnded();
    if (!(await verifyPassword(account.passwordHash, input.password))) throw fieldError(['password'], 'is not your password');
    await deps.db.transaction(async (tx) => {
      await markSessionAuthenticated(tx, sessionId, 'password');
      await recordAudit(tx, deps.actor, reauthenticatedEvent(userId, sessionId, 'password'));
    });
    return;
  }

  const [field, proof] =
    input.code !== undefined
      ? (['code', { code: input.code }] as const)
      : (['recoveryCode', { recoveryCode: input.recoveryCode ?? '' }] as const);
  const proven = await deps.db.transaction(async (tx) => {
    const method = await proveSecondFactor(deps, tx, userId, proof);
    if (!method) return false;
    await markSessionAuthenticated(tx, sessionId, method);
    await recordAudit(tx, deps.actor, reauthenticatedEvent(userId, sessionId, method));
    return true;
  });
  if (proven) return;
  await deps.db.transaction((tx) =>
    recordAudit(tx, deps.actor, {
      action: 'auth.mfa_failed',
      targetType: 'user',
      targetId: userId,
      changes: { method: { from: null, to: field === 'code' ? 'totp' : 'recovery_code' }, sessionId: { from: null, to: sessionId } },
    }),
  );
  throw wrongCodeField(field);
}

const reauthenticatedEvent = (userId: string, sessionId: string, method: string) => ({
  action: 'auth.reauthenticated',
  targetType: 'user',
  targetId: userId,
  changes: { sessionId: { from: null, to: sessionId }, method: { from: null, to: method } },
});

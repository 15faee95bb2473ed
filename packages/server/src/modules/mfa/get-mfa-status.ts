import type { TMfaStatus } from '@ums/contract';
import { countRecoveryCodesLeft, findTotpFactor, holdsRoleRequiringMfa } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';

/** The caller's factors as `me.mfa.get` shows them: never a secret. An unconfirmed set-up is not "enabled". */
export async function getMfaStatus({ db }: Pick<ServiceDeps, 'db'>, { userId }: { userId: string }): Promise<TMfaStatus> {
  const [factor, recoveryCodesLeft, required] = await Promise.all([
    findTotpFactor(db, userId),
    countRecoveryCodesLeft(db, userId),
    holdsRoleRequiringMfa(db, userId),
  ]);
  const confirmedAt = factor?.confirmedAt ?? null;
  return {
    totp: { enabled: confirmedAt !== null, confirmedAt: confirmedAt?.toISOString() ?? null },
    recoveryCodesLeft: confirmedAt ? recoveryCodesLeft : 0,
    passkeys: 0,
    required,
  };
}

import { type DbHandle, findMailAddress } from '@ums/db';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import type { ServiceDeps } from '../service-deps.ts';

export type MfaNotice = 'mfa_enabled' | 'mfa_disabled' | 'recovery_codes_regenerated' | 'mfa_reset';

/** The security notice of an MFA change, mailed to the account's address, in the change's transaction (outbox). */
export async function enqueueMfaNotice(
  deps: Pick<ServiceDeps, 'secrets'>,
  tx: DbHandle,
  userId: string,
  template: MfaNotice,
): Promise<void> {
  const address = await findMailAddress(tx, userId);
  if (!address) return;
  await enqueueMail(deps, tx, { template, to: address.email, params: { name: address.fullName } });
}

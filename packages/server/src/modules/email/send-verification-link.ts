import type { DbHandle } from '@ums/db';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { issueAccountToken } from './account-token.ts';

/**
 * A verification link to the account's current address, in the caller's transaction: registration, an admin's
 * email change and `auth.requestEmailVerification` all send it this way. Only the newest link works.
 */
export async function sendVerificationLink(
  deps: Pick<ServiceDeps, 'secrets'>,
  tx: DbHandle,
  { userId, email, name, budgeted }: { userId: string; email: string; name: string | null; budgeted: boolean },
): Promise<void> {
  const token = await issueAccountToken(tx, { userId, purpose: 'email_verification', email });
  await enqueueMail(deps, tx, { template: 'verify_email', to: email, params: { name }, token, budgeted });
}

import type { TLinkTokenInput, TUser } from '@ums/contract';
import { lockUserRow, markEmailVerified, redeemAccountToken } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { getUser } from '../users/get-user.ts';
import { hashAccountToken, invalidToken } from './account-token.ts';

/** `auth.verifyEmail`: the link proves the address it was mailed to, if that is still the account's address. */
export async function verifyEmail(deps: Pick<ServiceDeps, 'db' | 'actor'>, { token }: TLinkTokenInput): Promise<TUser> {
  return deps.db.transaction(async (tx) => {
    const redeemed = await redeemAccountToken(tx, 'email_verification', hashAccountToken(token));
    if (!redeemed) throw invalidToken();
    const state = await lockUserRow(tx, redeemed.userId);
    if (!state?.isActive || state.email !== redeemed.email) throw invalidToken();
    if (!state.emailVerifiedAt) {
      const at = new Date();
      await markEmailVerified(tx, redeemed.userId, at);
      // The link proves who is acting: its owner.
      await recordAudit(
        tx,
        { ...deps.actor, actorId: redeemed.userId },
        {
          action: 'user.email_verified',
          targetType: 'user',
          targetId: redeemed.userId,
          changes: { emailVerifiedAt: { from: null, to: at.toISOString() } },
        },
      );
    }
    return getUser({ db: tx }, { id: redeemed.userId });
  });
}

import type { TLinkTokenInput, TUser } from '@ums/contract';
import { findUserIdByEmail, isUniqueViolation, lockUserRow, redeemAccountToken, voidAccountTokens, writeConfirmedEmail } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { enqueueMail } from '../mail/enqueue-mail.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { getUser } from '../users/get-user.ts';
import { emailTaken } from '../users/user-errors.ts';
import { hashAccountToken, invalidToken } from './account-token.ts';

/**
 * `auth.confirmEmailChange`: the link from the new address makes it the account's, proven. The old address hears
 * of it; links mailed to it before (a reset, say) stop working. If the address was taken meanwhile → 409, and the
 * link stays usable until it expires.
 */
export async function confirmEmailChange(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'secrets' | 'outbox'>,
  { token }: TLinkTokenInput,
): Promise<TUser> {
  try {
    const user = await deps.db.transaction(async (tx) => {
      const redeemed = await redeemAccountToken(tx, 'email_change', hashAccountToken(token));
      if (!redeemed) throw invalidToken();
      const state = await lockUserRow(tx, redeemed.userId);
      if (!state?.isActive) throw invalidToken();
      const holder = await findUserIdByEmail(tx, redeemed.email);
      if (holder && holder !== redeemed.userId) throw emailTaken();
      const at = new Date();
      await writeConfirmedEmail(tx, redeemed.userId, { email: redeemed.email, at });
      await voidAccountTokens(tx, redeemed.userId);
      await recordAudit(
        tx,
        { ...deps.actor, actorId: redeemed.userId },
        {
          action: 'user.email_changed',
          targetType: 'user',
          targetId: redeemed.userId,
          changes: {
            email: { from: state.email, to: redeemed.email },
            emailVerifiedAt: { from: state.emailVerifiedAt?.toISOString() ?? null, to: at.toISOString() },
          },
        },
      );
      await enqueueMail(deps, tx, {
        template: 'email_changed',
        to: state.email,
        params: { name: state.fullName, newEmail: redeemed.email },
      });
      return getUser({ db: tx }, { id: redeemed.userId });
    });
    deps.outbox.wake();
    return user;
  } catch (error) {
    if (isUniqueViolation(error, 'email')) throw emailTaken(error);
    throw error;
  }
}

import type { TImpersonation } from '@ums/contract';
import { insertImpersonationSession, selectUserPermissions } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { getUser } from '../users/get-user.ts';
import { lockUser } from '../users/lock-user.ts';
import { impersonationOfInactiveUser, impersonationOutranks, selfImpersonation } from './impersonation-errors.ts';

/** The longest an impersonation lasts (API.md: ≤ 1 h); it cannot be renewed. */
export const IMPERSONATION_TTL_SECONDS = 3600;

export interface Impersonate {
  id: string;
  reason: string;
  /** The caller, and what they hold: nobody may become a user who holds a permission they lack. */
  impersonatorId: string;
  impersonatorPermissions: ReadonlySet<string>;
}

/**
 * A session of the target for the caller to act in: at most an hour, no refresh token, marked with the impersonator
 * so that every audit event in it names them and credential changes stay refused (trpc/procedures.ts). The start is
 * audited (`user.impersonation_started`, the caller as actor, the reason kept) in the session's transaction.
 */
export async function impersonateUser(
  deps: Pick<ServiceDeps, 'db' | 'actor' | 'tokens'>,
  { id, reason, impersonatorId, impersonatorPermissions }: Impersonate,
): Promise<TImpersonation> {
  // UUIDs compare case-insensitively: the caller's own id in capitals is still the caller.
  if (id.toLowerCase() === impersonatorId.toLowerCase()) throw selfImpersonation();
  return deps.db.transaction(async (tx) => {
    // The row lock orders this after a concurrent role change or deactivation of the target.
    const { isActive } = await lockUser(tx, { id });
    const missing = (await selectUserPermissions(tx, id)).filter((permission) => !impersonatorPermissions.has(permission));
    if (missing.length > 0) throw impersonationOutranks(missing);
    if (!isActive) throw impersonationOfInactiveUser();

    const expiresAt = new Date(Date.now() + IMPERSONATION_TTL_SECONDS * 1000);
    const sessionId = await insertImpersonationSession(tx, {
      userId: id,
      impersonatorId,
      ip: deps.actor.ip,
      userAgent: deps.actor.userAgent,
      expiresAt,
    });
    await recordAudit(tx, deps.actor, {
      action: 'user.impersonation_started',
      targetType: 'user',
      targetId: id,
      changes: {
        reason: { from: null, to: reason },
        sessionId: { from: null, to: sessionId },
        expiresAt: { from: null, to: expiresAt.toISOString() },
      },
    });
    return {
      accessToken: deps.tokens.signAccessToken({ userId: id, sessionId }, IMPERSONATION_TTL_SECONDS),
      expiresIn: IMPERSONATION_TTL_SECONDS,
      user: await getUser({ db: tx }, { id }),
    };
  });
}

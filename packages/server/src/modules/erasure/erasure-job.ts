import { type ClaimedOutboxMessage, type Db, type DbHandle, ERASURE_KIND, type ErasurePayload, lockErasureState } from '@ums/db';
import type { AuditActor } from '../audit/record-audit.ts';
import type { OutboxHandler } from '../outbox/outbox-dispatcher.ts';
import { eraseAccount } from './erase-account.ts';

export { ERASURE_KIND };

/** The scheduler acts, not a person: the request's own event (`user.deletion_requested`) names who asked. */
const SCHEDULER: AuditActor = { actorId: null, ip: null, userAgent: null, requestId: null };

// An erasure that fails (the database is away) is tried again for about a day and a half before it is given up.
const RETRY_SCHEDULE_MS = [60_000, 10 * 60_000, 3_600_000, 6 * 3_600_000, 24 * 3_600_000];

/**
 * The outbox handler of kind `user.erasure` (scheduled by me.delete, due when the grace period ends). The outbox's
 * claim gives each message one instance at a time; the erasure itself is one transaction and does nothing for an
 * account already erased, so a message run again after a lost lease erases nothing twice.
 */
export function createErasureJob({ db }: { db: Db }): OutboxHandler {
  return {
    retryScheduleMs: RETRY_SCHEDULE_MS,
    async deliver(message: ClaimedOutboxMessage) {
      const payload = message.payload as ErasurePayload;
      await db.transaction(async (tx) => {
        if (await stillRequested(tx, payload)) await eraseAccount(tx, SCHEDULER, { id: payload.userId });
      });
    },
  };
}

/**
 * Whether the deletion request still stands: the account is still deactivated by that request. A reactivation in
 * the grace period cancelled it (a later deactivation by an administrator is not a request to erase).
 */
async function stillRequested(tx: DbHandle, { userId, deactivatedAt }: ErasurePayload): Promise<boolean> {
  const state = await lockErasureState(tx, userId);
  return state !== null && state.erasedAt === null && !state.isActive && state.deactivatedAt?.getTime() === Date.parse(deactivatedAt);
}

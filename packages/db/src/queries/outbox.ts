import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

export interface NewOutboxMessage {
  kind: string;
  /** Plain JSON (what JSON.stringify keeps is what is stored). */
  payload: Record<string, unknown>;
  /** A secret the delivery needs (sealed by the caller); erased once the message is finished. */
  sealedSecret?: string | null;
  /** The recipient whose mail budget this message counts against. */
  budgetKey?: string | null;
}

/** A message a claim took: deliver it, then record the outcome with the same claimId. */
export interface ClaimedOutboxMessage {
  id: string;
  kind: string;
  payload: unknown;
  sealedSecret: string | null;
  /** Including this one. */
  attempts: number;
  createdAt: Date;
}

export interface OutboxClaim {
  claimId: string;
  kinds: readonly string[];
  limit: number;
  /** How long the claim holds the rows; past it, a claimant that died has let them go. */
  leaseMs: number;
}

/** Writes a delivery in the caller's transaction: it is sent only if that transaction commits. */
export async function enqueueOutboxMessage(tx: DbHandle, message: NewOutboxMessage): Promise<string> {
  const created = await tx.prisma.outboxMessage.create({
    data: {
      kind: message.kind,
      payload: message.payload as Prisma.InputJsonObject,
      sealedSecret: message.sealedSecret ?? null,
      budgetKey: message.budgetKey ?? null,
    },
    select: { id: true },
  });
  return created.id;
}

/** How many budgeted messages went to this recipient since `since`, whatever became of them. */
export async function countBudgetedMessages(db: DbHandle, budgetKey: string, since: Date): Promise<number> {
  return db.prisma.outboxMessage.count({ where: { budgetKey, createdAt: { gt: since } } });
}

/**
 * Claims up to `limit` due messages in one statement. Rows another claimant holds are skipped, not waited for; a
 * claimed row is due again only when its lease ends, so each message has one claimant at a time.
 */
export async function claimDueOutboxMessages(db: DbHandle, claim: OutboxClaim): Promise<ClaimedOutboxMessage[]> {
  return db.query<ClaimedOutboxMessage>(Prisma.sql`
    UPDATE outbox o
       SET available_at = now() + ${claim.leaseMs} * interval '1 millisecond', attempts = o.attempts + 1, claim_id = ${claim.claimId}::uuid
     WHERE o.id IN (SELECT id FROM outbox
                     WHERE status = 'pending'::outbox_status AND available_at <= now() AND kind = ANY(${[...claim.kinds]}::text[])
                       -- In order per order key: a delivery waits while an earlier one with its key is still pending.
                       AND (order_key IS NULL OR NOT EXISTS (
                             SELECT 1 FROM outbox earlier
                              WHERE earlier.order_key = outbox.order_key AND earlier.seq < outbox.seq
                                AND earlier.status = 'pending'::outbox_status))
                     ORDER BY available_at, created_at
                     LIMIT ${claim.limit}
                       FOR UPDATE SKIP LOCKED)
    RETURNING o.id, o.kind, o.payload, o.sealed_secret AS "sealedSecret", o.attempts, o.created_at AS "createdAt"`);
}

export type OutboxOutcome = { status: 'sent' } | { status: 'retry'; error: string; retryAt: Date } | { status: 'failed'; error: string };

/**
 * Records what became of a claimed message; only the claim that still holds it may (false otherwise). A finished
 * message keeps no secret.
 */
export async function recordOutboxOutcome(
  db: DbHandle,
  { id, claimId }: { id: string; claimId: string },
  outcome: OutboxOutcome,
): Promise<boolean> {
  const held = { id, claimId, status: 'pending' as const };
  const written =
    outcome.status === 'retry'
      ? await db.prisma.outboxMessage.updateMany({
          where: held,
          data: { availableAt: outcome.retryAt, lastError: outcome.error, claimId: null },
        })
      : await db.prisma.outboxMessage.updateMany({
          where: held,
          data: {
            status: outcome.status,
            finishedAt: new Date(),
            sealedSecret: null,
            claimId: null,
            lastError: outcome.status === 'failed' ? outcome.error : null,
          },
        });
  return written.count === 1;
}

/** Deletes messages sent before `before` (failed ones stay for operators to see). */
export async function pruneSentOutboxMessages(db: DbHandle, before: Date): Promise<number> {
  const deleted = await db.prisma.outboxMessage.deleteMany({ where: { status: 'sent', finishedAt: { lt: before } } });
  return deleted.count;
}

export interface OutboxBacklog {
  kind: string;
  pending: number;
  failed: number;
  /** Age of the oldest pending message, in seconds; 0 when none. */
  oldestPendingSeconds: number;
}

/** Per kind: what waits, what failed for good, and how long the oldest has waited. */
export async function selectOutboxBacklog(db: DbHandle): Promise<OutboxBacklog[]> {
  return db.query<OutboxBacklog>(Prisma.sql`
    SELECT kind,
           count(*) FILTER (WHERE status = 'pending'::outbox_status)::int AS pending,
           count(*) FILTER (WHERE status = 'failed'::outbox_status)::int AS failed,
           COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending'::outbox_status)), 0)::float8 AS "oldestPendingSeconds"
      FROM outbox
     WHERE status <> 'sent'::outbox_status
     GROUP BY kind`);
}

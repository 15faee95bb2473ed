import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

/** The outbox kind of a scheduled erasure (me.delete): due when the grace period ends. */
export const ERASURE_KIND = 'user.erasure';

/** The payload of a scheduled erasure: ids and a time only. */
export interface ErasurePayload {
  userId: string;
  /** The deactivation me.delete made (ISO): the erasure runs only while it is still the account's. */
  deactivatedAt: string;
}

/** The address an erased account keeps: unique, and one no mail can reach (`.invalid`, RFC 2606). */
export const erasedEmailOf = (id: string) => `erased+${id}@invalid`;

// Stored in place of the password hash: no hash format, so no password verifies against it.
const NO_PASSWORD = '!erased';

/** Schedules the erasure in the caller's transaction, due at `at`; whichever instance claims it first runs it. */
export async function scheduleErasure(tx: DbHandle, payload: ErasurePayload, at: Date): Promise<void> {
  await tx.execute(Prisma.sql`
    INSERT INTO outbox (id, kind, payload, available_at)
    VALUES (gen_random_uuid(), ${ERASURE_KIND}, ${JSON.stringify(payload)}::jsonb, ${at})`);
}

/** The row of the account as the erasure reads it, locked until the transaction ends; null if there is none. */
export async function lockErasureState(
  tx: DbHandle,
  id: string,
): Promise<{ isActive: boolean; deactivatedAt: Date | null; erasedAt: Date | null } | null> {
  const [row] = await tx.query<{ isActive: boolean; deactivatedAt: Date | null; erasedAt: Date | null }>(Prisma.sql`
    SELECT is_active AS "isActive", deactivated_at AS "deactivatedAt", erased_at AS "erasedAt"
      FROM users WHERE id = ${id}::uuid FOR UPDATE`);
  return row ?? null;
}

/**
 * Removes every stored copy of the person's data, in the caller's transaction (after `lockErasureState`), and
 * replaces the account's personal fields in place; the id stays, so the audit trail stays linked to it.
 * Mail is found by its recipient: every address the account had (its own, those its tokens were mailed to, and
 * those its audit changes name), because mail rows carry no user id. Webhook deliveries and attempts are found by
 * their subject, `user:<id>`. Call it before recording `user.erased`, whose own delivery must survive.
 */
export async function erasePersonalData(tx: DbHandle, { id, at, by }: { id: string; at: Date; by: string | null }): Promise<void> {
  const subject = `user:${id}`;
  await tx.execute(Prisma.sql`
    WITH addresses AS (
      SELECT lower(email) AS address FROM users WHERE id = ${id}::uuid
      UNION SELECT lower(email) FROM account_tokens WHERE user_id = ${id}::uuid
      UNION SELECT lower(v.address)
              FROM audit_event_personal_data p
             CROSS JOIN LATERAL (VALUES (p.data->'email'->>'from'), (p.data->'email'->>'to')) AS v(address)
             WHERE p.subject_id = ${id}::uuid AND p.part = 'changes' AND v.address IS NOT NULL
    )
    DELETE FROM outbox o
     WHERE (o.kind = 'mail' AND lower(o.payload->>'to') IN (SELECT address FROM addresses))
        OR (o.kind = 'webhook' AND o.payload->>'subject' = ${subject})`);
  await tx.execute(Prisma.sql`DELETE FROM webhook_attempts WHERE payload->>'subject' = ${subject}`);
  await tx.execute(Prisma.sql`DELETE FROM audit_event_personal_data WHERE subject_id = ${id}::uuid`);
  // Refresh tokens go with their sessions (ON DELETE CASCADE).
  for (const table of [
    'sessions',
    'account_tokens',
    'user_settings',
    'mfa_totp_factors',
    'mfa_recovery_codes',
    'mfa_challenges',
    'passkeys',
    'passkey_challenges',
  ]) {
    await tx.execute(Prisma.sql`DELETE FROM ${Prisma.raw(table)} WHERE user_id = ${id}::uuid`);
  }
  await tx.execute(Prisma.sql`
    UPDATE users
       SET email = ${erasedEmailOf(id)}, password_hash = ${NO_PASSWORD}, full_name = NULL, phone_number = NULL, timezone = NULL,
           locale = NULL, avatar_url = NULL, bio = NULL, deactivation_reason = NULL, email_verified_at = NULL,
           is_active = false, deactivated_at = COALESCE(deactivated_at, ${at}), deactivated_by = COALESCE(deactivated_by, ${by}::uuid),
           failed_logins = 0, lockouts = 0, locked_until = NULL, erased_at = ${at},
           version = version + 1, settings_version = settings_version + 1, updated_at = ${at}
     WHERE id = ${id}::uuid`);
}

/** Whether the account has been erased (null: no such account). */
export async function findErasedAt(db: DbHandle, id: string): Promise<{ erasedAt: Date | null } | null> {
  return db.prisma.user.findUnique({ where: { id }, select: { erasedAt: true } });
}

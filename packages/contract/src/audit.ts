import { z } from 'zod';
import { ZPersonSummary } from './audit-people.ts';
import { ZCursor, ZPageLimit, ZTimestamp } from './fields.ts';

/**
 * Any PostgreSQL `uuid`, not only RFC 9562 ones: the trail must stay readable and filterable whatever ids were
 * recorded (imported history, other id generators), so this does not use the stricter ZUuid.
 */
const ZRecordedUuid = z.guid({ message: 'must be a UUID' });

export const ZFieldChange = z.object({ from: z.unknown(), to: z.unknown() });

export const ZAuditEvent = z
  .object({
    id: ZRecordedUuid.describe('The event'),
    at: ZTimestamp.describe('When it happened'),
    actorId: ZRecordedUuid.nullable().describe('Who did it; null for the system'),
    action: z.string().describe('What happened, such as `user.updated`'),
    targetType: z.string().nullable().describe('The kind of thing changed, such as `user` or `role`'),
    targetId: z.string().nullable().describe('Its id or name'),
    changes: z.record(z.string(), ZFieldChange).describe('Field → `{ from, to }` (secrets never appear)'),
    ip: z.string().nullable().describe('Client address of the request'),
    userAgent: z.string().nullable().describe('User-Agent of the request'),
    requestId: z.string().nullable().describe('`x-request-id` of the request'),
    impersonatorId: ZRecordedUuid.nullable().describe('Who was acting as the actor (users.impersonate) when it happened; null otherwise'),
  })
  .meta({ id: 'AuditEvent' });
export type TAuditEvent = z.infer<typeof ZAuditEvent>;

/** An event of audit.list: the stored event and the people it names (audit-people.ts). */
export const ZAuditListItem = ZAuditEvent.extend({
  actor: ZPersonSummary.nullable().describe('The actor as a person; null for the system'),
  target: ZPersonSummary.nullable().describe('The target as a person when it is a user; null otherwise'),
}).meta({ id: 'AuditListItem' });
export type TAuditListItem = z.infer<typeof ZAuditListItem>;

export const ZListAuditInput = z
  .strictObject({
    actorId: ZRecordedUuid.describe('Only events by this user').optional(),
    targetId: z.string().trim().min(1).max(128).describe('Only events on this id or name').optional(),
    action: z.string().trim().min(1).max(64).describe('Only this action, such as `user.updated`').optional(),
    from: ZTimestamp.describe('Only events at or after this instant').optional(),
    to: ZTimestamp.describe('Only events before this instant').optional(),
    limit: ZPageLimit(50).describe('Events per page, 1–100'),
    cursor: ZCursor.describe('`nextCursor` of the previous page').optional(),
  })
  .meta({ id: 'ListAuditInput' });
export type TListAuditInput = z.infer<typeof ZListAuditInput>;

export const ZAuditList = z
  .object({
    items: z.array(ZAuditListItem).describe('This page, newest first'),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last one'),
  })
  .meta({ id: 'AuditList' });

import { z } from 'zod';
import { ZCursor, ZPageLimit, ZTimestamp } from './fields.ts';

/**
 * Any PostgreSQL `uuid`, not only RFC 9562 ones: the trail must stay readable and filterable whatever ids were
 * recorded (imported history, other id generators), so this does not use the stricter ZUuid.
 */
const ZRecordedUuid = z.guid({ message: 'must be a UUID' });

export const ZFieldChange = z.object({ from: z.unknown(), to: z.unknown() });

export const ZAuditEvent = z
  .object({
    id: ZRecordedUuid,
    at: ZTimestamp,
    actorId: ZRecordedUuid.nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    changes: z.record(z.string(), ZFieldChange),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });
export type TAuditEvent = z.infer<typeof ZAuditEvent>;

export const ZListAuditInput = z
  .strictObject({
    actorId: ZRecordedUuid.optional(),
    targetId: z.string().trim().min(1).max(128).optional(),
    action: z.string().trim().min(1).max(64).optional(),
    from: ZTimestamp.optional(),
    to: ZTimestamp.optional(),
    limit: ZPageLimit(50),
    cursor: ZCursor.optional(),
  })
  .meta({ id: 'ListAuditInput' });
export type TListAuditInput = z.infer<typeof ZListAuditInput>;

export const ZAuditList = z.object({ items: z.array(ZAuditEvent), nextCursor: z.string().nullable() }).meta({ id: 'AuditList' });

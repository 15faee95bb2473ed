import { fieldError } from '../../app-error.ts';

/** Where a page ended: the (at, id) of its last event, the same order the indexes keep. */
export interface AuditPosition {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeAuditCursor = ({ at, id }: AuditPosition): string =>
  Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

export function decodeAuditCursor(cursor: string): AuditPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw fieldError(['cursor'], 'is not a cursor this API returned');
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [at, id] = decoded;
    if (typeof at === 'string' && typeof id === 'string' && UUID.test(id) && !Number.isNaN(Date.parse(at))) {
      return { at: new Date(at), id };
    }
  }
  throw fieldError(['cursor'], 'is not a cursor this API returned');
}

import { Prisma } from '../generated/prisma/client.ts';
import type { DbHandle } from '../handle.ts';

export interface PersonSummaryRow {
  id: string;
  fullName: string | null;
  email: string;
}

/** Name and address of the given users (one query for a whole page of audit events); ids with no user are absent. */
export async function selectPersonSummaries(db: DbHandle, ids: readonly string[]): Promise<PersonSummaryRow[]> {
  if (ids.length === 0) return [];
  return db.query<PersonSummaryRow>(Prisma.sql`
    SELECT id, full_name AS "fullName", email FROM users WHERE id = ANY(${ids}::uuid[])`);
}

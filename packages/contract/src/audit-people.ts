import { z } from 'zod';

/** Who an audit event's actor or target is, for people reading the trail: never more than name and address. */
export const ZPersonSummary = z
  .object({
    id: z.uuid().describe("The user's id"),
    fullName: z.string().nullable().describe('Their name; null when not given (and after erasure)'),
    email: z.string().meta({ format: 'email', description: 'Their address (`erased+<id>@invalid` after erasure)' }),
  })
  .meta({ id: 'PersonSummary' });
export type TPersonSummary = z.infer<typeof ZPersonSummary>;

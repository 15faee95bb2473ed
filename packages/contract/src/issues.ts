import { z } from 'zod';

/** One problem with the input, located by its path (`["settings", 0, "value"]`). */
export const ZIssue = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export type TIssue = z.infer<typeof ZIssue>;

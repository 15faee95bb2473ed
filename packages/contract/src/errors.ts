import { z } from 'zod';

/** One problem with the input, located by its path (`["settings", 0, "value"]`). */
export const ZIssue = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export type TIssue = z.infer<typeof ZIssue>;

/** The REST error body (API.md, "Errors"). tRPC carries the same issues in `error.data.issues`. */
export const ZErrorBody = z.object({ code: z.string(), message: z.string(), issues: z.array(ZIssue).optional() }).meta({ id: 'Error' });
export type TErrorBody = z.infer<typeof ZErrorBody>;

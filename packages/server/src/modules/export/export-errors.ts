import { defineError } from '../../define-error.ts';

/**
 * The most audit-event JSON the tRPC answer gathers. tRPC answers with one JSON value, built whole in memory (with
 * its output-validated copy and its text): with 100,000 events the shipped server (160 MB of old space) dropped the
 * connection mid-answer (`pnpm bench:export`). Past this budget the tRPC call is refused, pointing at the REST
 * route, which streams any size.
 */
export const TRPC_EXPORT_MAX_BYTES = 8 * 2 ** 20;

export const exportTooLargeForTrpc = defineError(
  {
    code: 'CONFLICT',
    reason: 'EXPORT_TOO_LARGE',
    description: `tRPC only: the audit trail is more than ${TRPC_EXPORT_MAX_BYTES / 2 ** 20} MiB of JSON, too much for one answer built in memory; the REST route streams any size`,
  },
  (restPath: string) => ({
    message: `This export is too large to answer over tRPC; download it from GET /api/v1${restPath}, which streams it`,
  }),
);

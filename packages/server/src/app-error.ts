import type { TIssue } from '@ums/contract';

export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

export interface AppErrorDetails {
  /** Field-level problems, shown to REST callers in `issues` and to tRPC callers in `error.data.issues`. */
  issues?: TIssue[];
  /** For 429: how long the caller should wait. */
  retryAfterSeconds?: number;
  /** The contract's machine-readable why (`INVALID_TOKEN`, `EMAIL_NOT_VERIFIED`…): REST `reason`, tRPC `data.reason`. */
  reason?: string;
  /** Extra machine-readable facts safe to show the caller (e.g. `currentVersion` on a version conflict). */
  data?: Record<string, unknown>;
  cause?: unknown;
}

/** A domain error: services throw it, and trpc/error-mapping.ts maps it to the transport in one place. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}

/** One bad field: a 400 whose issue names the field. */
export const fieldError = (path: TIssue['path'], message: string, reason?: string) =>
  new AppError('BAD_REQUEST', 'Input validation failed', { issues: [{ path, message }], ...(reason ? { reason } : {}) });

import { AppError, type AppErrorCode, type AppErrorDetails } from './app-error.ts';

/** What the REST document says about one error a service may throw. */
export interface ErrorSpec {
  code: AppErrorCode;
  /** The contract's machine-readable why, when it has one (`INVALID_TOKEN`, `EMAIL_NOT_VERIFIED`…). */
  reason?: string;
  /** When a caller gets it, for people reading the document. */
  description: string;
}

export type DefinedError<Args extends unknown[]> = ((...args: Args) => AppError) & { readonly spec: ErrorSpec };

/**
 * A domain error with its documentation: the factory services throw, and the spec the REST document lists under
 * each operation that declares it (http/openapi-operations.ts). Writing both here keeps them from drifting apart.
 */
export function defineError<Args extends unknown[]>(
  spec: ErrorSpec,
  make: (...args: Args) => { message: string; details?: Omit<AppErrorDetails, 'reason'> },
): DefinedError<Args> {
  const create = (...args: Args) => {
    const { message, details } = make(...args);
    return new AppError(spec.code, message, spec.reason ? { ...details, reason: spec.reason } : details);
  };
  return Object.assign(create, { spec });
}

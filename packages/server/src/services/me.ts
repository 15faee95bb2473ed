import type { TMe } from '@ums/contract';
import type { AuthState } from '../trpc/context.ts';

/** The caller's profile and permissions: both were read with the session, so no further query. */
export function getMe(auth: AuthState): TMe {
  return { ...auth.user, permissions: [...auth.permissions].sort() };
}

import type { TMe } from '@ums/contract';
import type { AuthState } from '../sessions/authenticate.ts';

/** The caller's profile and permissions: both were read with the session, so no further query. */
export function getMe({ auth }: { auth: AuthState }): TMe {
  return { ...auth.user, permissions: [...auth.permissions].sort() };
}

import type { Permission } from '@ums/contract';
import type { OpenApiMeta } from 'trpc-to-openapi';

/** What a signed-in procedure asks of the session beyond who is calling; checked by the procedure builders, fail-closed. */
export interface SessionRequirements {
  /** Step-up: the session proved a factor within REAUTH_MAX_AGE, else 403 REAUTH_REQUIRED. */
  recent?: boolean;
  /**
   * Callable by a holder of an MFA-required role who has no factor yet (enrolment, me.get, logout). Every other
   * signed-in procedure answers them 403 MFA_ENROLMENT_REQUIRED.
   */
  duringMfaEnrolment?: boolean;
}

/** Who may call a procedure. Every procedure states one; the security matrix test reads it from the router. */
export type Access =
  | { kind: 'public' }
  | ({ kind: 'signedIn' } & SessionRequirements)
  /**
   * `orSelf`: also allowed when the target user (input `id`) is the caller. `alsoRequires`: further permissions the
   * caller must hold as well (users.export reads a profile and an audit trail: users:read and audit:read).
   */
  | ({ kind: 'permission'; permission: Permission; orSelf?: boolean; alsoRequires?: readonly Permission[] } & SessionRequirements);

export type Meta = OpenApiMeta<{
  access?: Access;
  /** REST status on success when it is not 200 (201 created, 202 accepted for later, 204 no content). */
  successStatus?: 201 | 202 | 204;
  /** Counted by the auth rate limit (auth-rate-limit.ts): it may answer 429 with `Retry-After`. */
  rateLimited?: true;
}>;

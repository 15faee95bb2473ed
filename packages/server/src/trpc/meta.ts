import type { Permission } from '@ums/contract';
import type { OpenApiMeta } from 'trpc-to-openapi';

/** Who may call a procedure. Every procedure states one; the security matrix test reads it from the router. */
export type Access =
  | { kind: 'public' }
  | { kind: 'signedIn' }
  /** `orSelf`: also allowed when the target user (input `id`) is the caller. */
  | { kind: 'permission'; permission: Permission; orSelf?: boolean };

export type Meta = OpenApiMeta<{
  access?: Access;
  /** REST status on success when it is not 200 (201 created, 202 accepted for later, 204 no content). */
  successStatus?: 201 | 202 | 204;
  /** Counted by the auth rate limit (auth-rate-limit.ts): it may answer 429 with `Retry-After`. */
  rateLimited?: true;
}>;

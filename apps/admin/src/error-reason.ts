import { TRPCClientError } from '@trpc/client';
import { EMAIL_FLOW_REASONS, MFA_REASONS } from '@ums/shared';

/** The machine-readable reasons the console acts on, as the contract names them. */
export const REASONS = { ...EMAIL_FLOW_REASONS, ...MFA_REASONS } as const;
type Reason = (typeof REASONS)[keyof typeof REASONS];

/** Whether a failed call carries this `reason` (tRPC's `error.data.reason`) beside its code. */
export function hasReason(error: unknown, reason: Reason): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  return (error.data as { reason?: unknown } | undefined)?.reason === reason;
}

import { formatTime } from '../format.ts';

/** Whether the user's current address was proven by a mailed link, and when (in the tooltip). */
export const EmailVerifiedBadge = ({ verifiedAt }: { verifiedAt: string | null }) =>
  verifiedAt ? (
    <span className="badge badge--ok" title={`Verified ${formatTime(verifiedAt)}`}>
      Verified
    </span>
  ) : (
    <span className="badge badge--warn">Not verified</span>
  );

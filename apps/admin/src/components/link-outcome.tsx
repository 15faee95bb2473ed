import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { ErrorBanner } from './error-banner.tsx';

/** The way on from a page a mailed link led to: into the console when signed in, to sign-in otherwise. */
export function ContinueLink() {
  const { signedIn } = useSession();
  return (
    <p className="public-links">
      <Link to={signedIn ? '/account' : '/'}>{signedIn ? 'Continue to My account' : 'Sign in'}</Link>
    </p>
  );
}

interface LinkPendingProps {
  error: unknown;
  onRetry(): void;
  retrying: boolean;
}

/**
 * While the link is being checked, or after a failure that was not about the link itself (network, 429, 503): say it,
 * and offer to send the same link again.
 */
export function LinkPending({ error, onRetry, retrying }: LinkPendingProps) {
  if (!error) return <p aria-live="polite">Checking your link…</p>;
  return (
    <>
      <ErrorBanner error={error} />
      <button type="button" className="primary wide" disabled={retrying} onClick={onRetry}>
        {retrying ? 'Trying again…' : 'Try again'}
      </button>
    </>
  );
}

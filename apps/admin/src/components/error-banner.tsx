import { errorCodeOf, issuesOf } from '@ums/shared';

const TITLES: Record<string, string> = {
  BAD_REQUEST: 'Some fields need attention',
  UNAUTHORIZED: 'Not signed in',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  TOO_MANY_REQUESTS: 'Too many attempts',
  SERVICE_UNAVAILABLE: 'Service unavailable',
};

interface ErrorBannerProps {
  error: unknown;
  /** For a conflict: load what the server has now. */
  onReload?: () => void;
}

/** A failed call, said plainly. Field problems are shown next to their fields; this names the rest. */
export function ErrorBanner({ error, onReload }: ErrorBannerProps) {
  if (!error) return null;
  const code = errorCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const conflict = code === 'CONFLICT';
  const fieldCount = issuesOf(error).length;
  return (
    <div className={conflict ? 'banner banner--conflict' : 'banner banner--error'} role="alert">
      <strong>{code ? (TITLES[code] ?? code) : 'Could not reach the server'}</strong>
      {/* With field issues the server's message only repeats them; each is shown next to its field instead. */}
      <p>{fieldCount > 0 ? `Nothing was saved: see the highlighted field${fieldCount === 1 ? '' : 's'}.` : message}</p>
      {conflict && onReload && (
        <p>
          Your changes were not saved.{' '}
          <button type="button" className="link-button" onClick={onReload}>
            Load the current version
          </button>{' '}
          and apply them again.
        </p>
      )}
    </div>
  );
}

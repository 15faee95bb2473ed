import type { ReactNode } from 'react';

/** A mailed link the server refused (INVALID_TOKEN): it never says which of the causes it was, so neither do we. */
export function InvalidLinkNotice({ lifetime, children }: { lifetime: string; children: ReactNode }) {
  return (
    <div className="banner banner--error" role="alert">
      <strong>This link no longer works</strong>
      <p>
        It may have expired (links work for {lifetime}), been used already, or been replaced by a newer one. {children}
      </p>
    </div>
  );
}

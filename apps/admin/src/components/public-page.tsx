import type { ReactNode } from 'react';

interface PublicPageProps {
  /** The heading's id: it names the page's card for assistive technology. */
  titleId: string;
  title: string;
  children: ReactNode;
}

/** A page anyone may open, signed in or not (sign-in, and the pages mailed links lead to): one card in the middle. */
export function PublicPage({ titleId, title, children }: PublicPageProps) {
  return (
    <main id="main" className="public-page">
      <section className="public-card" aria-labelledby={titleId}>
        <h1 id={titleId}>{title}</h1>
        <p className="muted">User management console</p>
        {children}
      </section>
    </main>
  );
}

import type { ReactNode } from 'react';

interface CardProps {
  /** The heading's id: it names the section for assistive technology. */
  titleId: string;
  title: string;
  /** Beside the title, such as a status; given at all, it puts the title in a header row even while it shows nothing. */
  badge?: ReactNode;
  /** Marks a card whose actions are hard to undo. */
  danger?: boolean;
  children: ReactNode;
}

/** A section of a screen, named by its heading. */
export function Card({ titleId, title, badge, danger = false, children }: CardProps) {
  const heading = <h2 id={titleId}>{title}</h2>;
  return (
    <section className={danger ? 'card danger-zone' : 'card'} aria-labelledby={titleId}>
      {badge !== undefined ? (
        <header className="page-header">
          {heading}
          {badge}
        </header>
      ) : (
        heading
      )}
      {children}
    </section>
  );
}

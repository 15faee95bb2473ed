import type { ReactNode } from 'react';

interface SaveActionsProps {
  /** The submit button's label while nothing is being saved. */
  label: string;
  dirty: boolean;
  saving: boolean;
  saved: boolean;
  /** Shown once saved, until the next edit. */
  savedMessage?: string;
  /** Offered while there are unsaved edits. */
  onDiscard?: () => void;
  /** Further buttons, after the save and discard ones. */
  children?: ReactNode;
}

/** The buttons under an edit form: save what changed, discard it, and say when it was saved. */
export function SaveActions({ label, dirty, saving, saved, savedMessage = 'Saved', onDiscard, children }: SaveActionsProps) {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={!dirty || saving}>
        {saving ? 'Saving…' : label}
      </button>
      {dirty && onDiscard && (
        <button type="button" onClick={onDiscard}>
          Discard changes
        </button>
      )}
      {children}
      {saved && !dirty && (
        <output className="saved" aria-live="polite">
          {savedMessage}
        </output>
      )}
    </div>
  );
}

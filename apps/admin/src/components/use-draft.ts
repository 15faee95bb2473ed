import { useEffect, useState } from 'react';

/**
 * A form's editable copy of what the server sent. A new `version` of it (saved, or reloaded after a conflict)
 * replaces the draft, and so does `discard`.
 */
export function useDraft<T>(fromServer: () => T, version: string | number) {
  const [draft, setDraft] = useState<T>(fromServer);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new version replaces the draft, not every render's copy
  useEffect(() => setDraft(fromServer()), [version]);
  return { draft, setDraft, discard: () => setDraft(fromServer()) };
}

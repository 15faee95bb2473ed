/** What an edit form shows of its save, and how it gets the server's copy back after a conflict. */
export interface SaveState {
  saving: boolean;
  saved: boolean;
  error: unknown;
  onReload(): void;
}

interface SaveMutation {
  isPending: boolean;
  isSuccess: boolean;
  error: unknown;
  reset(): void;
}

interface SourceQuery {
  refetch(): Promise<unknown>;
}

/** The save state of a form whose data `source` loads and `mutation` saves. */
export const saveStateOf = (mutation: SaveMutation, source: SourceQuery): SaveState => ({
  saving: mutation.isPending,
  saved: mutation.isSuccess,
  error: mutation.error,
  onReload: () => {
    mutation.reset();
    void source.refetch();
  },
});

/** The pair a sign-in or a refresh hands out. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * Where a client keeps its tokens. The client reads the access token for every request, writes the new pair
 * after a refresh and clears it when the session is over; the app decides where they live.
 */
export interface TokenStore {
  get(): TokenPair | null;
  set(tokens: TokenPair): void;
  clear(): void;
}

/** Tokens kept in memory only: gone when the process or the page goes away. */
export function memoryTokenStore(initial: TokenPair | null = null): TokenStore {
  let current = initial;
  return {
    get: () => current,
    set: (tokens) => {
      current = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
    },
    clear: () => {
      current = null;
    },
  };
}

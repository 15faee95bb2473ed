import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@ums/server';
import { refreshLink } from './refresh-link.ts';
import type { TokenStore } from './token-store.ts';

export type AppClient = TRPCClient<AppRouter>;

export interface CreateClientOptions {
  /** The tRPC endpoint, e.g. `https://users.example.com/trpc` (or `/trpc` in a page served by the API). */
  url: string;
  /** Where the access and refresh tokens live; the client reads, replaces and clears them. */
  tokens: TokenStore;
  /** Called when the session is over: a refresh was refused and the tokens are cleared. */
  onSignedOut?: () => void;
  /** A fetch to use instead of the global one (tests, instrumentation). */
  fetch?: typeof fetch;
}

// Long batches fall back to several requests instead of a URL the server would refuse.
const MAX_URL_LENGTH = 4000;

/**
 * A typed tRPC client for the service: batched calls, the access token on every call, one refresh on a 401
 * (shared by every call that failed together) and one retry, sign-out when the refresh is refused.
 */
export function createClient({ url, tokens, onSignedOut, fetch }: CreateClientOptions): AppClient {
  const transport = fetch ? { fetch } : {};
  // Refreshes go straight to the server: never batched with the calls waiting on them, never refreshed themselves.
  const refresher = createTRPCClient<AppRouter>({ links: [httpLink({ url, ...transport })] });

  return createTRPCClient<AppRouter>({
    links: [
      refreshLink<AppRouter>({
        tokens,
        onSignedOut,
        refresh: async (refreshToken) => {
          const { accessToken, refreshToken: next } = await refresher.auth.refresh.mutate({ refreshToken });
          return { accessToken, refreshToken: next };
        },
      }),
      httpBatchLink({
        url,
        maxURLLength: MAX_URL_LENGTH,
        ...transport,
        headers: () => {
          const accessToken = tokens.get()?.accessToken;
          return accessToken ? { authorization: `Bearer ${accessToken}` } : {};
        },
      }),
    ],
  });
}

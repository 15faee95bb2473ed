import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import type { TokenStore } from './token-store.ts';

/** Public procedures whose 401 is an answer about the input (a wrong password), never about an expired token. */
const NO_REFRESH_PATHS = new Set(['auth.login', 'auth.register', 'auth.refresh']);

export interface RefreshLinkOptions {
  tokens: TokenStore;
  /** Exchanges the refresh token for a new pair; throws when the server refuses it. */
  refresh: (refreshToken: string) => Promise<{ accessToken: string; refreshToken: string }>;
  /** Called once when a refresh is refused and the tokens have been cleared. */
  onSignedOut?: () => void;
}

export const isUnauthorized = (error: unknown) => error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED';

/** The server looked at the refresh token and said no (as opposed to a network failure or an overloaded server). */
const isRefusal = (error: unknown) =>
  error instanceof TRPCClientError && (error.data?.code === 'UNAUTHORIZED' || error.data?.code === 'BAD_REQUEST');

/**
 * On a 401, refreshes the access token and retries the call once. However many calls fail together, one refresh
 * is in flight: the others wait for it. A call that failed with a token that has since been replaced is retried
 * with the new one without another refresh. A refused refresh signs the client out.
 */
export function refreshLink<TRouter extends AnyRouter>({ tokens, refresh, onSignedOut }: RefreshLinkOptions): TRPCLink<TRouter> {
  let inFlight: Promise<boolean> | null = null;

  const refreshOnce = async (): Promise<boolean> => {
    const current = tokens.get();
    if (!current) return false;
    try {
      tokens.set(await refresh(current.refreshToken));
      return true;
    } catch (error) {
      if (!isRefusal(error)) return false;
      // Only sign out if nobody signed in again while the refresh was on its way.
      if (tokens.get()?.refreshToken === current.refreshToken) {
        tokens.clear();
        onSignedOut?.();
      }
      return false;
    }
  };

  /** Resolves true when a token newer than `staleAccessToken` is ready to retry with. */
  const renew = (staleAccessToken: string): Promise<boolean> => {
    const current = tokens.get();
    if (!current) return Promise.resolve(false);
    if (current.accessToken !== staleAccessToken) return Promise.resolve(true);
    inFlight ??= refreshOnce().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let disposed = false;
        const sentWith = tokens.get()?.accessToken;
        let subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error: (error) => {
            if (!sentWith || !isUnauthorized(error) || NO_REFRESH_PATHS.has(op.path)) {
              observer.error(error);
              return;
            }
            void renew(sentWith).then((renewed) => {
              if (disposed) return;
              if (!renewed) {
                observer.error(error);
                return;
              }
              subscription = next(op).subscribe(observer);
            });
          },
        });
        return () => {
          disposed = true;
          subscription.unsubscribe();
        };
      });
}

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type AppClient, completeSignIn, createClient, errorCodeOf, signIn as signInWith, type TMfaChallenge } from '@ums/shared';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { restoreImpersonator } from './impersonation.ts';
import { passkeyProof } from './passkey-ceremony.ts';
import { sessionTokenStore } from './token-storage.ts';
import { TRPCProvider } from './trpc.ts';

interface Session {
  signedIn: boolean;
  /** What the sign-in page says first: why the last session ended (expired, revoked…), or that the password was reset. */
  notice: string | null;
  /** The first step; with MFA on it answers the challenge the second step (`verifyMfa`) needs. */
  signIn(email: string, password: string): Promise<TMfaChallenge | null>;
  /** The second step of a sign-in with MFA: a code from the app, a recovery code, or a passkey. */
  verifyMfa(mfaToken: string, proof: { code: string } | { recoveryCode: string } | 'passkey'): Promise<void>;
  /** Signs in with a passkey alone (the browser asks which one). */
  signInWithPasskey(): Promise<void>;
  /** The typed client, for calls a component makes itself (a "recent" call retried after the prompt). */
  client: AppClient;
  /** Ends the session; `notice` is then shown on the sign-in page. */
  signOut(notice?: string): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in state, the tRPC client (token refresh included) and the query cache, for the whole console. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const tokens = useMemo(() => sessionTokenStore(), []);
  const [signedIn, setSignedIn] = useState(() => tokens.get() !== null);
  const [notice, setNotice] = useState<string | null>(null);

  const queryClient = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          // Only a network failure is worth repeating; the server's answers (403, 404, 409…) will not change.
          queries: { retry: (count, error) => errorCodeOf(error) === undefined && count < 2, refetchOnWindowFocus: false },
        },
      }),
    [],
  );

  const client = useMemo(
    () =>
      createClient({
        url: '/trpc',
        tokens,
        onSignedOut: () => {
          // An impersonation session that ended (logout elsewhere, its hour) hands the console back to the administrator.
          if (restoreImpersonator(tokens)) return void queryClient.resetQueries();
          queryClient.clear();
          setNotice('Your session has ended. Please sign in again.');
          setSignedIn(false);
        },
      }),
    [tokens, queryClient],
  );

  const signedInNow = useCallback(() => {
    queryClient.clear();
    setNotice(null);
    setSignedIn(true);
  }, [queryClient]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const outcome = await signInWith(client, tokens, { email, password });
      if (outcome.status === 'mfaRequired') return outcome.challenge;
      signedInNow();
      return null;
    },
    [client, tokens, signedInNow],
  );

  const verifyMfa = useCallback(
    async (mfaToken: string, proof: { code: string } | { recoveryCode: string } | 'passkey') => {
      if (proof === 'passkey')
        tokens.set(await client.auth.mfa.verify.mutate({ mfaToken, passkey: await passkeyProof(client, { mfaToken }) }));
      else await completeSignIn(client, tokens, { mfaToken, ...proof });
      signedInNow();
    },
    [client, tokens, signedInNow],
  );

  const signInWithPasskey = useCallback(async () => {
    tokens.set(await client.auth.passkey.login.mutate(await passkeyProof(client)));
    signedInNow();
  }, [client, tokens, signedInNow]);

  const signOut = useCallback(
    async (next: string | null = null) => {
      // Ending the session on the server is best effort: the local tokens go in any case.
      if (tokens.get()) await client.auth.logout.mutate().catch(() => undefined);
      // Signing out while impersonating ends the administrator's own session too.
      if (restoreImpersonator(tokens)) await client.auth.logout.mutate().catch(() => undefined);
      tokens.clear();
      queryClient.clear();
      setNotice(next);
      setSignedIn(false);
    },
    [client, tokens, queryClient],
  );

  const session = useMemo(
    () => ({ signedIn, notice, signIn, verifyMfa, signInWithPasskey, signOut, client }),
    [signedIn, notice, signIn, verifyMfa, signInWithPasskey, signOut, client],
  );

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={client} queryClient={queryClient}>
        <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

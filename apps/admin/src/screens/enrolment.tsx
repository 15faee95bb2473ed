import { useQueryClient } from '@tanstack/react-query';
import { PublicPage } from '../components/public-page.tsx';
import { TotpSetup } from '../components/totp-setup.tsx';
import { useSession } from '../session.tsx';
import { useTRPC } from '../trpc.ts';

/** Where a holder of an MFA-required role without a factor lands: set one up, or sign out. */
export function EnrolmentScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { signOut } = useSession();
  return (
    <PublicPage titleId="enrolment-title" title="Set up two-factor authentication">
      <p>A role of your account requires two-factor authentication. Set up an authenticator app to continue.</p>
      <TotpSetup onEnabled={() => void queryClient.invalidateQueries({ queryKey: trpc.me.mfa.get.pathKey() })} />
      <p className="public-links">
        <button type="button" className="link-button" onClick={() => void signOut()}>
          Sign out
        </button>
      </p>
    </PublicPage>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorCodeOf } from '@ums/shared';
import { InvalidLinkNotice } from '../components/invalid-link-notice.tsx';
import { ContinueLink, LinkPending } from '../components/link-outcome.tsx';
import { LinkRequestForm } from '../components/link-request.tsx';
import { PublicPage } from '../components/public-page.tsx';
import { useLinkRedemption } from '../components/use-link-redemption.ts';
import { formatTime } from '../format.ts';
import { LINK_LIFETIME } from '../link-lifetimes.ts';
import { useTRPC } from '../trpc.ts';

/** Where a verification link leads: the address is proven on arrival. */
export function VerifyEmailScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Whoever is signed in here may be the account just verified: what the console shows of it is stale.
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  const { token, retry } = useLinkRedemption((linkToken) => verify.mutateAsync({ token: linkToken }));

  // A 400 is about the link: INVALID_TOKEN, or a token the input rules refuse (cut short, too long).
  const refused = !token || errorCodeOf(verify.error) === 'BAD_REQUEST';
  return (
    <PublicPage titleId="verify-title" title="Verify your email address">
      {verify.data ? (
        <>
          <div className="banner banner--info" role="status">
            <strong>Email address verified</strong>
            <p>
              {verify.data.email} is confirmed as the address of this account (verified {formatTime(verify.data.emailVerifiedAt)}).
            </p>
          </div>
          <ContinueLink />
        </>
      ) : refused ? (
        <>
          <InvalidLinkNotice lifetime={LINK_LIFETIME.verification}>Ask for a new one below.</InvalidLinkNotice>
          <LinkRequestForm purpose="verification" label="Ask for a new verification link" submitLabel="Send a new link" />
          <ContinueLink />
        </>
      ) : (
        <LinkPending error={verify.error} retrying={verify.isPending} onRetry={retry} />
      )}
    </PublicPage>
  );
}

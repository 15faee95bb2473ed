import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorCodeOf } from '@ums/shared';
import { InvalidLinkNotice } from '../components/invalid-link-notice.tsx';
import { ContinueLink, LinkPending } from '../components/link-outcome.tsx';
import { PublicPage } from '../components/public-page.tsx';
import { useLinkRedemption } from '../components/use-link-redemption.ts';
import { LINK_LIFETIME } from '../link-lifetimes.ts';
import { useTRPC } from '../trpc.ts';

/** Where the link mailed to a new address leads: the account moves to it on arrival. */
export function ConfirmEmailChangeScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const confirm = useMutation(trpc.auth.confirmEmailChange.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  const { token, retry } = useLinkRedemption((linkToken) => confirm.mutateAsync({ token: linkToken }));

  const code = errorCodeOf(confirm.error);
  return (
    <PublicPage titleId="confirm-email-title" title="Confirm your new email address">
      {confirm.data ? (
        <>
          <div className="banner banner--info" role="status">
            <strong>Email address changed</strong>
            <p>
              Your account's address is now <strong>{confirm.data.email}</strong>. Sign in with it from now on; the previous address was
              told of the change.
            </p>
          </div>
          <ContinueLink />
        </>
      ) : !token || code === 'BAD_REQUEST' ? (
        <>
          <InvalidLinkNotice lifetime={LINK_LIFETIME.emailChange}>Ask for the change again under My account.</InvalidLinkNotice>
          <ContinueLink />
        </>
      ) : code === 'CONFLICT' ? (
        <>
          <div className="banner banner--conflict" role="alert">
            <strong>That address is taken</strong>
            <p>
              Another account started using it after you asked for the change, so your address has not changed. You can ask for a different
              one under My account.
            </p>
          </div>
          <ContinueLink />
        </>
      ) : (
        <LinkPending error={confirm.error} retrying={confirm.isPending} onRetry={retry} />
      )}
    </PublicPage>
  );
}

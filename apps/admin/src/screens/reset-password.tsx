import { useMutation } from '@tanstack/react-query';
import { fieldErrorsOf, ZPassword } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { ErrorBanner } from '../components/error-banner.tsx';
import { TextField } from '../components/field.tsx';
import { InvalidLinkNotice } from '../components/invalid-link-notice.tsx';
import { PublicPage } from '../components/public-page.tsx';
import { hasReason, REASONS } from '../error-reason.ts';
import { LINK_LIFETIME } from '../link-lifetimes.ts';
import { Link, navigate, queryParam } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useTRPC } from '../trpc.ts';

const NEW_LINK = <Link to="/forgot-password">Ask for a new link</Link>;

/** Where a reset link leads: a new password, twice. Success ends every session, so it leads to sign-in. */
export function ResetPasswordScreen() {
  const trpc = useTRPC();
  const { signOut } = useSession();
  const [token] = useState(() => queryParam('token'));
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: async () => {
        // The server has ended every session of the account; this tab's one (if it was that account) goes too.
        await signOut('Your password was changed and every session was signed out. Sign in with your new password.');
        navigate('/', { replace: true });
      },
    }),
  );

  if (!token) {
    return (
      <PublicPage titleId="reset-title" title="Set a new password">
        <InvalidLinkNotice lifetime={LINK_LIFETIME.reset}>Open the link from the email again, or {NEW_LINK}.</InvalidLinkNotice>
      </PublicPage>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const differs = newPassword !== confirmation;
    setMismatch(differs);
    if (!differs) reset.mutate({ token, newPassword });
  };

  const errors = fieldErrorsOf(reset.error);
  // INVALID_TOKEN, or a token the input rules refuse (cut short, too long): either way the link is what failed.
  const invalidLink = hasReason(reset.error, REASONS.invalidToken) || errors.token !== undefined;

  return (
    <PublicPage titleId="reset-title" title="Set a new password">
      <form onSubmit={submit} aria-labelledby="reset-title" noValidate>
        {invalidLink ? (
          <InvalidLinkNotice lifetime={LINK_LIFETIME.reset}>{NEW_LINK}.</InvalidLinkNotice>
        ) : (
          <ErrorBanner error={reset.error} />
        )}
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          hint={ZPassword.minLength ? `At least ${ZPassword.minLength} characters` : undefined}
          value={newPassword}
          onChange={setNewPassword}
          error={errors.newPassword}
        />
        <TextField
          label="Repeat the new password"
          name="confirmation"
          type="password"
          autoComplete="new-password"
          required
          value={confirmation}
          onChange={setConfirmation}
          error={mismatch ? 'does not match the new password' : undefined}
        />
        <button type="submit" className="primary wide" disabled={reset.isPending || reset.isSuccess}>
          {reset.isPending ? 'Saving…' : 'Set new password'}
        </button>
        <p className="public-links">
          <Link to="/">Back to sign in</Link>
        </p>
      </form>
    </PublicPage>
  );
}

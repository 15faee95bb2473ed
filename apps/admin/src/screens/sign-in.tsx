import { errorCodeOf, fieldErrorsOf, type TMfaChallenge } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { ErrorBanner } from '../components/error-banner.tsx';
import { TextField } from '../components/field.tsx';
import { LinkSentNotice, useLinkRequest } from '../components/link-request.tsx';
import { PublicPage } from '../components/public-page.tsx';
import { SecondStep } from '../components/second-step.tsx';
import { hasReason, REASONS } from '../error-reason.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

export function SignInScreen() {
  const { signIn, notice: sessionNotice } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [challenge, setChallenge] = useState<TMfaChallenge | null>(null);
  const [restartNotice, setRestartNotice] = useState<string | null>(null);
  const notice = restartNotice || sessionNotice;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    setRestartNotice(null);
    try {
      const next = await signIn(email, password);
      if (next) {
        setChallenge(next);
        setPassword('');
        setPending(false);
      }
    } catch (failure) {
      setError(failure);
      setPending(false);
    }
  };

  if (challenge)
    return (
      <PublicPage titleId="sign-in-title" title="Two-factor authentication">
        <SecondStep
          challenge={challenge}
          onRestart={(why) => {
            setChallenge(null);
            setRestartNotice(why || null);
          }}
        />
      </PublicPage>
    );

  const errors = fieldErrorsOf(error);
  // A refused sign-in is one message for every cause (the server does not say which part was wrong).
  const refused = errorCodeOf(error) === 'UNAUTHORIZED';
  const unverified = hasReason(error, REASONS.emailNotVerified);

  return (
    <PublicPage titleId="sign-in-title" title="Sign in">
      <form onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        {notice && !error && (
          <div className="banner banner--info" role="status">
            {notice}
          </div>
        )}
        {refused ? (
          <div className="banner banner--error" role="alert">
            Wrong email or password.
          </div>
        ) : unverified ? (
          <UnverifiedNotice email={email} />
        ) : (
          <ErrorBanner error={error} />
        )}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={setEmail}
          error={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={errors.password}
        />
        <button type="submit" className="primary wide" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="public-links">
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
      </form>
    </PublicPage>
  );
}

/** The password was right but the address is not proven yet: offer a fresh link to it. */
function UnverifiedNotice({ email }: { email: string }) {
  const resend = useLinkRequest('verification');
  if (resend.data) return <LinkSentNotice message={resend.data.message} purpose="verification" />;
  return (
    <div className="banner banner--conflict" role="alert">
      <strong>Confirm your email address first</strong>
      <p>Follow the link that was mailed to {email} when the account was made, then sign in again.</p>
      <ErrorBanner error={resend.error} />
      <p>
        <button type="button" className="link-button" disabled={resend.isPending} onClick={() => resend.mutate(email)}>
          {resend.isPending ? 'Sending…' : 'Send the link again'}
        </button>
      </p>
    </div>
  );
}

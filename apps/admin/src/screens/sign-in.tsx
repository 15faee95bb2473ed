import { errorCodeOf, fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { ErrorBanner } from '../components/error-banner.tsx';
import { TextField } from '../components/field.tsx';
import { useSession } from '../session.tsx';

export function SignInScreen() {
  const { signIn, endedReason } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (failure) {
      setError(failure);
      setPending(false);
    }
  };

  const errors = fieldErrorsOf(error);
  // A refused sign-in is one message for every cause (the server does not say which part was wrong).
  const refused = errorCodeOf(error) === 'UNAUTHORIZED';

  return (
    <main id="main" className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title">Sign in</h1>
        <p className="muted">User management console</p>
        {endedReason && !error && (
          <div className="banner banner--info" role="status">
            {endedReason}
          </div>
        )}
        {refused ? (
          <div className="banner banner--error" role="alert">
            Wrong email or password.
          </div>
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
      </form>
    </main>
  );
}

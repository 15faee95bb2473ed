import { MFA_REASONS, type TMfaChallenge } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { hasReason } from '../error-reason.ts';
import { useSession } from '../session.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

/** The second sign-in step: a code from the authenticator app, or a recovery code. `onRestart` goes back to step one. */
export function SecondStep({ challenge, onRestart }: { challenge: TMfaChallenge; onRestart(reason: string): void }) {
  const { verifyMfa } = useSession();
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const canRecover = challenge.methods.includes('recovery_code');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await verifyMfa(challenge.mfaToken, useRecovery ? { recoveryCode: value } : { code: value });
    } catch (failure) {
      setPending(false);
      if (hasReason(failure, MFA_REASONS.mfaTokenInvalid)) onRestart('That sign-in attempt has ended. Please sign in again.');
      else setError(failure);
    }
  };
  const wrong = hasReason(error, MFA_REASONS.invalidCode);

  return (
    <form onSubmit={submit} aria-label="Two-factor authentication" noValidate>
      <p>{useRecovery ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code from your authenticator app.'}</p>
      {wrong ? (
        <div className="banner banner--error" role="alert">
          That code did not work. Try again.
        </div>
      ) : (
        <ErrorBanner error={error} />
      )}
      {useRecovery ? (
        <TextField label="Recovery code" name="recoveryCode" autoComplete="off" required value={value} onChange={setValue} />
      ) : (
        <TextField label="Code" name="code" autoComplete="one-time-code" inputMode="numeric" required value={value} onChange={setValue} />
      )}
      <button type="submit" className="primary wide" disabled={pending || value.trim() === ''}>
        {pending ? 'Checking…' : 'Verify'}
      </button>
      <p className="public-links">
        {canRecover && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setValue('');
              setError(null);
            }}
          >
            {useRecovery ? 'Use a code from the app' : 'Use a recovery code'}
          </button>
        )}{' '}
        <button type="button" className="link-button" onClick={() => onRestart('')}>
          Start over
        </button>
      </p>
    </form>
  );
}

import { fieldErrorsOf, isReauthRequired } from '@ums/shared';
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { useSession } from '../session.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

type Prove = (mfaEnabled: boolean) => Promise<boolean>;
const ConfirmIdentityContext = createContext<Prove | null>(null);

/**
 * "Confirm it's you": a call the server answers REAUTH_REQUIRED opens this prompt; once the password (or, with MFA
 * on, a code or recovery code) is proven through auth.reauthenticate, the call is made again.
 */
export function ConfirmIdentityProvider({ children }: { children: ReactNode }) {
  const [request, setRequest] = useState<{ mfaEnabled: boolean; done: (proven: boolean) => void } | null>(null);
  const prove = useCallback<Prove>((mfaEnabled) => new Promise((resolve) => setRequest({ mfaEnabled, done: resolve })), []);
  return (
    <ConfirmIdentityContext.Provider value={prove}>
      {children}
      {request && (
        <ConfirmIdentityDialog
          mfaEnabled={request.mfaEnabled}
          onDone={(proven) => {
            setRequest(null);
            request.done(proven);
          }}
        />
      )}
    </ConfirmIdentityContext.Provider>
  );
}

/** Wraps a call to a "recent" procedure: on REAUTH_REQUIRED, the prompt, then one retry. */
export function useRecentCall(mfaEnabled: boolean) {
  const prove = useContext(ConfirmIdentityContext);
  if (!prove) throw new Error('useRecentCall outside ConfirmIdentityProvider');
  return useCallback(
    async <T,>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        if (!isReauthRequired(error) || !(await prove(mfaEnabled))) throw error;
        return call();
      }
    },
    [prove, mfaEnabled],
  );
}

function ConfirmIdentityDialog({ mfaEnabled, onDone }: { mfaEnabled: boolean; onDone(proven: boolean): void }) {
  const { client } = useSession();
  const [value, setValue] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const field = useMemo(() => (!mfaEnabled ? 'password' : useRecovery ? 'recoveryCode' : 'code'), [mfaEnabled, useRecovery]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await client.auth.reauthenticate.mutate(
        field === 'password' ? { password: value } : field === 'code' ? { code: value } : { recoveryCode: value },
      );
      onDone(true);
    } catch (failure) {
      setError(failure);
      setPending(false);
    }
  };
  const errors = fieldErrorsOf(error);

  return (
    <div className="modal-backdrop">
      <dialog open className="modal" aria-labelledby="confirm-identity-title">
        <form onSubmit={submit} noValidate>
          <h2 id="confirm-identity-title">Confirm it's you</h2>
          <p className="muted">This change needs you to prove who you are again.</p>
          {Object.keys(errors).length === 0 && <ErrorBanner error={error} />}
          {field === 'password' ? (
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={value}
              onChange={setValue}
              error={errors.password}
            />
          ) : field === 'code' ? (
            <TextField
              label="Code from your authenticator app"
              name="code"
              autoComplete="one-time-code"
              value={value}
              onChange={setValue}
              error={errors.code}
            />
          ) : (
            <TextField
              label="Recovery code"
              name="recoveryCode"
              autoComplete="off"
              value={value}
              onChange={setValue}
              error={errors.recoveryCode}
            />
          )}
          {mfaEnabled && (
            <p>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setUseRecovery(!useRecovery);
                  setValue('');
                  setError(null);
                }}
              >
                {useRecovery ? 'Use a code from the app' : 'Use a recovery code instead'}
              </button>
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={pending || value.trim() === ''}>
              {pending ? 'Checking…' : 'Confirm'}
            </button>
            <button type="button" onClick={() => onDone(false)}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}

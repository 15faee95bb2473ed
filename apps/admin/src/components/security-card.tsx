import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { formatTime } from '../format.ts';
import { useSession } from '../session.tsx';
import { useTRPC } from '../trpc.ts';
import { Card } from './card.tsx';
import { useRecentCall } from './confirm-identity.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';
import { RecoveryCodesPanel } from './recovery-codes.tsx';
import { TotpSetup } from './totp-setup.tsx';

/** My account → Security: two-factor authentication on or off, the recovery codes, and the way back. */
export function SecurityCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.me.mfa.get.queryOptions());
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.me.mfa.get.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.me.get.pathKey() });
  };
  const enabled = status.data?.totp.enabled ?? false;
  return (
    <Card
      titleId="security-title"
      title="Security"
      badge={status.data && <span className={enabled ? 'badge badge--ok' : 'badge'}>{enabled ? 'Two-factor on' : 'Two-factor off'}</span>}
    >
      <ErrorBanner error={status.error} />
      {status.data?.required && !enabled && <p>A role of yours requires two-factor authentication.</p>}
      {status.data &&
        (enabled ? (
          <TotpEnabled confirmedAt={status.data.totp.confirmedAt} codesLeft={status.data.recoveryCodesLeft} onChanged={changed} />
        ) : (
          <>
            <p>Protect your account with a code from an authenticator app each time you sign in.</p>
            <TotpSetup onEnabled={changed} />
          </>
        ))}
    </Card>
  );
}

function TotpEnabled({ confirmedAt, codesLeft, onChanged }: { confirmedAt: string | null; codesLeft: number; onChanged(): void }) {
  const { client } = useSession();
  const recent = useRecentCall(true);
  const [code, setCode] = useState('');
  const regenerate = useMutation({ mutationFn: () => recent(() => client.me.mfa.recoveryCodes.regenerate.mutate()) });
  const disable = useMutation({
    mutationFn: (value: string) => recent(() => client.me.mfa.totp.disable.mutate({ code: value })),
    onSuccess: onChanged,
  });
  const errors = fieldErrorsOf(disable.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    disable.mutate(code);
  };

  if (regenerate.data)
    return (
      <RecoveryCodesPanel
        codes={regenerate.data.recoveryCodes}
        onDone={() => {
          regenerate.reset();
          onChanged();
        }}
      />
    );
  return (
    <div className="stack">
      <p>
        Authenticator app on since {formatTime(confirmedAt)} · <span data-testid="recovery-codes-left">{codesLeft}</span> recovery codes
        left
      </p>
      <ErrorBanner error={regenerate.error} />
      <p>
        <button type="button" disabled={regenerate.isPending} onClick={() => regenerate.mutate()}>
          {regenerate.isPending ? 'Making new codes…' : 'New recovery codes'}
        </button>
      </p>
      <form onSubmit={submit} aria-label="Turn off two-factor authentication" noValidate>
        <h3>Turn off</h3>
        {Object.keys(errors).length === 0 && <ErrorBanner error={disable.error} />}
        <TextField label="Code from the app, or a recovery code" name="disable-code" value={code} onChange={setCode} error={errors.code} />
        <div className="actions">
          <button type="submit" className="danger" disabled={disable.isPending || code.trim() === ''}>
            {disable.isPending ? 'Turning off…' : 'Turn off two-factor'}
          </button>
        </div>
      </form>
    </div>
  );
}

import { useMutation } from '@tanstack/react-query';
import { fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session.tsx';
import { useRecentCall } from './confirm-identity.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';
import { RecoveryCodesPanel } from './recovery-codes.tsx';

/**
 * Setting up an authenticator app: the QR code and the secret to type or copy, then the first code, then the
 * recovery codes (shown once). `onEnabled` runs once the codes are put away.
 */
export function TotpSetup({ onEnabled }: { onEnabled(): void }) {
  const { client } = useSession();
  const recent = useRecentCall(false);
  const [code, setCode] = useState('');
  const [copied, setCopied] = useState(false);
  const setup = useMutation({ mutationFn: () => recent(() => client.me.mfa.totp.setup.mutate()) });
  const confirm = useMutation({ mutationFn: (value: string) => client.me.mfa.totp.confirm.mutate({ code: value }) });
  const errors = fieldErrorsOf(confirm.error);

  if (confirm.data) return <RecoveryCodesPanel codes={confirm.data.recoveryCodes} onDone={onEnabled} />;
  if (!setup.data)
    return (
      <>
        <ErrorBanner error={setup.error} />
        <button type="button" className="primary" disabled={setup.isPending} onClick={() => setup.mutate()}>
          {setup.isPending ? 'Starting…' : 'Set up authenticator app'}
        </button>
      </>
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate(code);
  };
  return (
    <form onSubmit={submit} aria-label="Set up authenticator app" noValidate className="stack">
      <p>Scan this code with your authenticator app, or type the secret into it.</p>
      <img
        className="qr-code"
        alt="QR code for your authenticator app"
        src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.data.qrCodeSvg)}`}
        width={200}
        height={200}
      />
      <p>
        Secret: <code data-testid="totp-secret">{setup.data.secret}</code>{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void navigator.clipboard?.writeText(setup.data.secret).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy secret'}
        </button>
      </p>
      {Object.keys(errors).length === 0 && <ErrorBanner error={confirm.error} />}
      <TextField
        label="Code from the app"
        name="code"
        autoComplete="one-time-code"
        inputMode="numeric"
        value={code}
        onChange={setCode}
        error={errors.code}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={confirm.isPending || code.trim() === ''}>
          {confirm.isPending ? 'Checking…' : 'Turn on'}
        </button>
      </div>
    </form>
  );
}

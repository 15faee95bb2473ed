import { useMutation } from '@tanstack/react-query';
import { fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { LINK_LIFETIME } from '../link-lifetimes.ts';
import { useTRPCClient } from '../trpc.ts';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

/** Which link a request by address mails: one that proves the address, or one that sets a new password. */
export type LinkPurpose = 'verification' | 'reset';

/** Asks the server to mail a link to an address. Its answer is the same whether or not the address has an account. */
export function useLinkRequest(purpose: LinkPurpose) {
  const client = useTRPCClient();
  return useMutation({
    mutationFn: (email: string) =>
      purpose === 'reset' ? client.auth.requestPasswordReset.mutate({ email }) : client.auth.requestEmailVerification.mutate({ email }),
  });
}

/** What a request by address tells: the server's neutral answer, and how long the link will work. */
export function LinkSentNotice({ message, purpose }: { message: string; purpose: LinkPurpose }) {
  return (
    <div className="banner banner--info" role="status">
      <strong>Check your inbox</strong>
      <p>
        {message} The link works for {LINK_LIFETIME[purpose]}.
      </p>
    </div>
  );
}

interface LinkRequestFormProps {
  purpose: LinkPurpose;
  /** The form's accessible name. */
  label: string;
  submitLabel: string;
}

/** An address to mail a link to; once sent, the neutral notice in its place. */
export function LinkRequestForm({ purpose, label, submitLabel }: LinkRequestFormProps) {
  const request = useLinkRequest(purpose);
  const [email, setEmail] = useState('');

  if (request.data) return <LinkSentNotice message={request.data.message} purpose={purpose} />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(email);
  };
  return (
    <form onSubmit={submit} aria-label={label} noValidate>
      <ErrorBanner error={request.error} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={setEmail}
        error={fieldErrorsOf(request.error).email}
      />
      <button type="submit" className="primary wide" disabled={request.isPending}>
        {request.isPending ? 'Sending…' : submitLabel}
      </button>
    </form>
  );
}

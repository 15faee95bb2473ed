import { useMutation, useQuery } from '@tanstack/react-query';
import { errorCodeOf, fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { LINK_LIFETIME } from '../link-lifetimes.ts';
import { useSession } from '../session.tsx';
import { useTRPC } from '../trpc.ts';
import { useRecentCall } from './confirm-identity.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

/** A move to a new address, proven by the password now and by the link mailed to the new address later. */
export function EmailChangeForm() {
  const trpc = useTRPC();
  const { client } = useSession();
  const me = useQuery(trpc.me.get.queryOptions());
  // A "recent" call: an old session is asked to confirm it's you first, then the change is sent again.
  const recent = useRecentCall(me.data?.mfaEnabled ?? false);
  const [newEmail, setNewEmail] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: (input: { newEmail: string; currentPassword: string }) => recent(() => client.me.email.change.mutate(input)),
    onSuccess: (_accepted, input) => {
      setSentTo(input.newEmail);
      setNewEmail('');
      setCurrentPassword('');
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSentTo(null);
    change.mutate({ newEmail, currentPassword });
  };

  const errors = fieldErrorsOf(change.error);
  // A taken address is a 409 without field issues; it belongs next to the address all the same.
  const taken = errorCodeOf(change.error) === 'CONFLICT';
  return (
    <form onSubmit={submit} aria-label="Change email" noValidate>
      {sentTo && (
        <div className="banner banner--info" role="status">
          <strong>Confirmation link sent</strong>
          <p>
            We mailed a link to {sentTo}; your address changes when you follow it (it works for {LINK_LIFETIME.emailChange}). Your current
            address was told of the request.
          </p>
        </div>
      )}
      {!taken && <ErrorBanner error={change.error} />}
      <div className="grid">
        <TextField
          label="New email"
          name="newEmail"
          type="email"
          autoComplete="email"
          required
          value={newEmail}
          onChange={setNewEmail}
          error={taken ? 'is already used by another account' : errors.newEmail}
        />
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.currentPassword}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={change.isPending}>
          {change.isPending ? 'Sending…' : 'Send confirmation link'}
        </button>
      </div>
    </form>
  );
}

import { useMutation, useQuery } from '@tanstack/react-query';
import { fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { formatTime } from '../format.ts';
import { useSession } from '../session.tsx';
import { useTRPC } from '../trpc.ts';
import { Card } from './card.tsx';
import { useRecentCall } from './confirm-identity.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

/** "Delete my account": the password, then the account is deactivated at once and erased after the grace period. */
export function DeleteAccountCard() {
  const trpc = useTRPC();
  const { client, signOut } = useSession();
  const me = useQuery(trpc.me.get.queryOptions());
  // A "recent" call: an old session is asked to confirm it's you first, then the request is sent again.
  const recent = useRecentCall(me.data?.mfaEnabled ?? false);
  const [currentPassword, setCurrentPassword] = useState('');
  const remove = useMutation({
    mutationFn: (input: { currentPassword: string }) => recent(() => client.me.delete.mutate(input)),
    // Every session has ended: the console signs out and says when the data goes.
    onSuccess: (deletion) =>
      void signOut(`Your account was deactivated. Its personal data will be erased on ${formatTime(deletion.erasureScheduledAt)}.`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    remove.mutate({ currentPassword });
  };
  const errors = fieldErrorsOf(remove.error);
  return (
    <Card titleId="delete-account-title" title="Delete my account" danger>
      <p className="muted">
        Your account is deactivated now and signed out everywhere; its personal data is erased after a grace period. Until then an
        administrator can reactivate it, which cancels the erasure.
      </p>
      <form aria-label="Delete my account" onSubmit={submit} noValidate>
        <ErrorBanner error={errors.currentPassword ? null : remove.error} />
        <TextField
          label="Current password"
          name="deleteCurrentPassword"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={setCurrentPassword}
          error={errors.currentPassword}
        />
        <div className="actions">
          <button type="submit" className="danger" disabled={remove.isPending || currentPassword === ''}>
            {remove.isPending ? 'Deleting…' : 'Delete my account'}
          </button>
        </div>
      </form>
    </Card>
  );
}

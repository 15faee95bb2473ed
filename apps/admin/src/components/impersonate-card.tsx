import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useState } from 'react';
import { beginImpersonation } from '../impersonation.ts';
import { useCaller } from '../permissions.tsx';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { sessionTokenStore } from '../token-storage.ts';
import type { User } from '../trpc.ts';
import { Card } from './card.tsx';
import { useRecentCall } from './confirm-identity.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

/** "Impersonate" on a user's page: with a reason, the console becomes that user's session for up to an hour. */
export function ImpersonateCard({ user }: { user: User }) {
  const { client } = useSession();
  const { can, me } = useCaller();
  const queryClient = useQueryClient();
  const recent = useRecentCall(me.mfaEnabled);
  const [reason, setReason] = useState('');
  const start = useMutation({
    mutationFn: () => recent(() => client.users.impersonate.mutate({ id: user.id, reason })),
    onSuccess: async ({ accessToken }) => {
      beginImpersonation(sessionTokenStore(), { accessToken, targetId: user.id, targetName: user.fullName ?? user.email });
      navigate('/account');
      await queryClient.resetQueries();
    },
  });
  if (!can('users:impersonate') || user.id === me.id || !user.isActive) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <Card titleId="impersonate-title" title="Impersonate">
      <p>See the console as this user sees it, for up to an hour. The reason and everything done meanwhile are in the audit log.</p>
      <form onSubmit={submit}>
        <TextField
          label="Why impersonate (kept in the audit log)"
          name="impersonation-reason"
          multiline
          required
          value={reason}
          onChange={setReason}
          error={fieldErrorsOf(start.error).reason}
        />
        <ErrorBanner error={fieldErrorsOf(start.error).reason ? null : start.error} />
        <div className="actions">
          <button type="submit" disabled={start.isPending || reason.trim() === ''}>
            {start.isPending ? 'Starting…' : 'Impersonate'}
          </button>
        </div>
      </form>
    </Card>
  );
}

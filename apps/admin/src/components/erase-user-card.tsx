import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useCaller } from '../permissions.tsx';
import { useSession } from '../session.tsx';
import { type User, useTRPC } from '../trpc.ts';
import { Card } from './card.tsx';
import { useRecentCall } from './confirm-identity.tsx';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

/** The address an erased account keeps (users.erase): how the console knows it has been erased. */
export const isErased = (user: User) => user.email === `erased+${user.id}@invalid`;

/** "Erase": removes a user's personal data for good, once the administrator has typed the user's email. */
export function EraseUserCard({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { client } = useSession();
  const { can, me } = useCaller();
  const recent = useRecentCall(me.mfaEnabled);
  const [typed, setTyped] = useState('');
  const erase = useMutation({
    mutationFn: () => recent(() => client.users.erase.mutate({ id: user.id })),
    onSuccess: (erased) => {
      queryClient.setQueryData(trpc.users.byId.queryKey({ id: user.id }), erased);
      void queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
    },
  });

  if (!can('users:delete') || user.id === me.id) return null;
  if (isErased(user)) {
    return (
      <Card titleId="erase-title" title="Erased">
        <p>This account's personal data has been erased. The audit trail keeps what happened, without it.</p>
      </Card>
    );
  }
  const confirmed = typed.trim().toLowerCase() === user.email.toLowerCase();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirmed) erase.mutate();
  };
  return (
    <Card titleId="erase-title" title="Erase" danger>
      <p className="muted">
        Deletes this person's email, name, phone, bio, settings, sessions and factors, the mail and webhooks about them, and their part of
        past audit events, for good. The account stays deactivated under its id. This cannot be undone.
      </p>
      <form aria-label="Erase user" onSubmit={submit}>
        <ErrorBanner error={erase.error} />
        <TextField label="Type the user's email to confirm" name="confirm-email" value={typed} onChange={setTyped} hint={user.email} />
        <div className="actions">
          <button type="submit" className="danger" disabled={!confirmed || erase.isPending}>
            {erase.isPending ? 'Erasing…' : 'Erase user'}
          </button>
        </div>
      </form>
    </Card>
  );
}

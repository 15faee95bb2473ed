import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCaller } from '../permissions.tsx';
import { useSession } from '../session.tsx';
import { type User, useTRPC } from '../trpc.ts';
import { Card } from './card.tsx';
import { useRecentCall } from './confirm-identity.tsx';
import { ErrorBanner } from './error-banner.tsx';

/** A user's second factor as an administrator sees it, and the reset for a user who lost their device. */
export function UserMfaCard({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { client } = useSession();
  const { can, me } = useCaller();
  const recent = useRecentCall(me.mfaEnabled);
  const reset = useMutation({
    mutationFn: () => recent(() => client.users.mfa.reset.mutate({ id: user.id })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.users.byId.queryKey({ id: user.id }) }),
  });
  return (
    <Card
      titleId="user-mfa-title"
      title="Two-factor authentication"
      badge={<span className={user.mfaEnabled ? 'badge badge--ok' : 'badge'}>{user.mfaEnabled ? 'On' : 'Off'}</span>}
    >
      <p>{user.mfaEnabled ? 'An authenticator app and recovery codes are set up.' : 'No second factor is set up.'}</p>
      <ErrorBanner error={reset.error} />
      {reset.isSuccess && <p role="status">Two-factor authentication was reset and every session of this user ended.</p>}
      {can('users:update') && user.mfaEnabled && (
        <button
          type="button"
          className="danger"
          disabled={reset.isPending}
          onClick={() => {
            if (window.confirm('Remove this user’s authenticator app and recovery codes, and sign them out everywhere?')) reset.mutate();
          }}
        >
          {reset.isPending ? 'Resetting…' : 'Reset two-factor'}
        </button>
      )}
    </Card>
  );
}

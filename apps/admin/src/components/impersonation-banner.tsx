import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { restoreImpersonator, useImpersonation } from '../impersonation.ts';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { sessionTokenStore } from '../token-storage.ts';

/** Always on screen while impersonating: who, and the way back to the administrator's own session. */
export function ImpersonationBanner() {
  const impersonation = useImpersonation();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [stopping, setStopping] = useState(false);
  if (!impersonation) return null;

  const stop = async () => {
    setStopping(true);
    // Ends the impersonation session on the server (best effort: it lasts an hour at most anyway).
    await client.auth.logout.mutate().catch(() => undefined);
    restoreImpersonator(sessionTokenStore());
    await queryClient.resetQueries();
    setStopping(false);
    navigate(`/users/${impersonation.targetId}`);
  };

  return (
    <div className="banner banner--conflict impersonation-banner" role="status">
      <strong>Impersonating {impersonation.targetName}</strong>
      <span> — everything you do is recorded as done by you on their behalf. </span>
      <button type="button" onClick={() => void stop()} disabled={stopping}>
        {stopping ? 'Stopping…' : 'Stop impersonating'}
      </button>
    </div>
  );
}

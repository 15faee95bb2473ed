import { useMutation } from '@tanstack/react-query';
import type { RouterOutputs } from '@ums/shared';
import { useSession } from '../session.tsx';
import { Card } from './card.tsx';
import { ErrorBanner } from './error-banner.tsx';

type UserExport = RouterOutputs['me']['export'];

/** Saves the export as a file, named as the REST route names it (`user-export-<id>-<date>.json`). */
function saveExport(data: UserExport) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), {
    href: url,
    download: `user-export-${data.user.id}-${data.exportedAt.slice(0, 10)}.json`,
  });
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * "Export data": everything the service keeps about the person (the caller, or the user `userId` names) as a JSON
 * download. The export is recorded in the audit trail. It comes over tRPC (typed, with token refresh), so the
 * browser holds it whole while saving; the REST route streams it for scripts that fetch very long histories.
 */
export function ExportCard({ userId }: { userId?: string }) {
  const { client } = useSession();
  const exportData = useMutation({
    mutationFn: () => (userId === undefined ? client.me.export.query() : client.users.export.query({ id: userId })),
    onSuccess: saveExport,
  });
  return (
    <Card titleId="export-title" title="Export data">
      <p>
        {userId === undefined
          ? 'Download everything this service keeps about you'
          : 'Download everything this service keeps about this user'}
        : profile, preferences, settings, roles, sessions, passkeys and audit trail, as one JSON file. The export is recorded in the audit
        log.
      </p>
      <ErrorBanner error={exportData.error} />
      {exportData.isSuccess && <p role="status">The export was downloaded.</p>}
      <button type="button" disabled={exportData.isPending} onClick={() => exportData.mutate()}>
        {exportData.isPending ? 'Exporting…' : 'Export'}
      </button>
    </Card>
  );
}

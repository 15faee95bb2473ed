import { useMutation } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@ums/shared';
import { useSession } from '../session.tsx';
import { sessionTokenStore } from '../token-storage.ts';
import { Card } from './card.tsx';
import { ErrorBanner } from './error-banner.tsx';

/** The REST route of the export: it streams the file (tRPC builds it in memory and refuses long histories). */
const exportPath = (userId: string | undefined) => `/api/v1/users/${userId ?? 'me'}/export`;

const fetchExport = (userId: string | undefined) => {
  const token = sessionTokenStore().get()?.accessToken;
  return fetch(exportPath(userId), { headers: token ? { authorization: `Bearer ${token}` } : {} });
};

/** A refused export as the console's other calls fail, so the error banner names its code (404, 403…). */
async function refusal(res: Response): Promise<TRPCClientError<AppRouter>> {
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string; reason?: string };
  return TRPCClientError.from({
    error: {
      code: -32_000,
      message: body.message ?? `HTTP ${res.status}`,
      data: { code: body.code, httpStatus: res.status, reason: body.reason },
    },
  });
}

/** Saves a downloaded file under the name the server gave it in `Content-Disposition`. */
function save(blob: Blob, disposition: string | null) {
  const name = /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? 'user-export.json';
  const url = URL.createObjectURL(blob);
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  URL.revokeObjectURL(url);
}

/**
 * "Export data": everything the service keeps about the person (the caller, or the user `userId` names) as a JSON
 * download from the streamed REST route, recorded in the audit trail. An expired access token is renewed through the
 * tRPC client (a cheap me.get, which refreshes it) and the download tried once more.
 */
export function ExportCard({ userId }: { userId?: string }) {
  const { client } = useSession();
  const exportData = useMutation({
    mutationFn: async () => {
      let res = await fetchExport(userId);
      if (res.status === 401) {
        await client.me.get.query();
        res = await fetchExport(userId);
      }
      if (!res.ok) throw await refusal(res);
      save(await res.blob(), res.headers.get('content-disposition'));
    },
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

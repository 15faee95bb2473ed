import { type TAuditEvent, type TUserExport, ZAuditEvent } from '@ums/contract';
import type { ServiceDeps } from '../service-deps.ts';
import { auditEventsOfUser } from './export-audit-events.ts';
import { exportTooLargeForTrpc, TRPC_EXPORT_MAX_BYTES } from './export-errors.ts';
import type { ExportHead } from './start-user-export.ts';

// Each event is parsed through the contract's schema before it is written, as the output validator would: unknown
// fields are stripped and a malformed one fails the export instead of going out.
const toEvent = (event: TAuditEvent): TAuditEvent => ZAuditEvent.parse(event);

/**
 * The export as JSON text, a batch of events at a time: the head (every part but the events) first, then the
 * events in the order the trail keeps them. Joined, the chunks are one JSON value of ZUserExport's shape with its
 * keys in the schema's order.
 */
export async function* exportDocumentChunks(deps: Pick<ServiceDeps, 'db'>, head: ExportHead): AsyncGenerator<string> {
  const opening = JSON.stringify(head);
  // `{…head…}` → `{…head…,"auditEvents":[` : the head is an object, so its last character is the closing brace.
  yield `${opening.slice(0, -1)},"auditEvents":[`;
  let first = true;
  for await (const batch of auditEventsOfUser(deps, head.user.id)) {
    const text = batch.map((event) => JSON.stringify(toEvent(event))).join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
  yield ']}';
}

/** The whole export as one value, built page by page: for the tRPC transport. */
export async function collectUserExport(
  deps: Pick<ServiceDeps, 'db'>,
  head: ExportHead,
  { restPath }: { restPath: string },
): Promise<TUserExport> {
  const auditEvents: TAuditEvent[] = [];
  let bytes = 0;
  for await (const batch of auditEventsOfUser(deps, head.user.id)) {
    for (const event of batch) bytes += JSON.stringify(event).length;
    if (bytes > TRPC_EXPORT_MAX_BYTES) throw exportTooLargeForTrpc(restPath);
    auditEvents.push(...batch);
  }
  return { ...head, auditEvents };
}

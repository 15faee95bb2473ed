import type { TAuditEvent } from '@ums/contract';
import { readAuditEvents } from '../audit/list-audit-events.ts';
import type { ServiceDeps } from '../service-deps.ts';

/** Events read per query: a few hundred kB of rows at most in memory, whatever the person's history. */
export const EXPORT_PAGE_SIZE = 500;

type Filter = { actorId: string } | { targetId: string };

/** One filter of the audit trail, newest first, a keyset page at a time, through the audit module's own reader. */
async function* pagesOf(deps: Pick<ServiceDeps, 'db'>, filter: Filter, pageSize: number): AsyncGenerator<TAuditEvent[]> {
  let cursor: string | undefined;
  do {
    const page = await readAuditEvents(deps, { ...filter, limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** Reads one event at a time from a stream of pages, fetching the next page only when the last one is used up. */
class PageReader {
  private page: TAuditEvent[] = [];
  private index = 0;
  private done = false;
  constructor(private readonly pages: AsyncGenerator<TAuditEvent[]>) {}

  async peek(): Promise<TAuditEvent | undefined> {
    while (this.index >= this.page.length && !this.done) {
      const next = await this.pages.next();
      if (next.done) this.done = true;
      else {
        this.page = next.value;
        this.index = 0;
      }
    }
    return this.page[this.index];
  }

  advance(): void {
    this.index++;
  }
}

/** Newest first, as the trail orders them: by `at`, then by id (both compare as the database compares them). */
const newer = (a: TAuditEvent, b: TAuditEvent) => a.at > b.at || (a.at === b.at && a.id > b.id);

/**
 * Every event the person made or that concerns them (actor or target), newest first, in batches of up to
 * `pageSize`: the events they made and the events about them are read as two keyset-paged lists, each on its own
 * index, and merged; an event that is both (a change to one's own profile) comes once. Only two pages are ever
 * held. Events recorded while this runs are newer than the first page, so the export is the trail as it was when
 * it started.
 */
export async function* auditEventsOfUser(
  deps: Pick<ServiceDeps, 'db'>,
  userId: string,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<TAuditEvent[]> {
  const made = new PageReader(pagesOf(deps, { actorId: userId }, pageSize));
  const about = new PageReader(pagesOf(deps, { targetId: userId }, pageSize));
  let batch: TAuditEvent[] = [];
  for (;;) {
    const [a, b] = [await made.peek(), await about.peek()];
    if (!a && !b) break;
    let next: TAuditEvent;
    if (a && b && a.id === b.id) {
      next = a;
      made.advance();
      about.advance();
    } else if (a && (!b || newer(a, b))) {
      next = a;
      made.advance();
    } else {
      next = b as TAuditEvent;
      about.advance();
    }
    batch.push(next);
    if (batch.length >= pageSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

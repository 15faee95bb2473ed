import type { TAuditEvent, TAuditListItem, TPersonSummary } from '@ums/contract';
import { type DbHandle, selectPersonSummaries } from '@ums/db';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A page of events with their actors and user targets as people (name and address), so the console shows who
 * rather than an id: one query over the page's distinct ids. An erased user reads as erased (the address erasure
 * left); an id with no user (never one, or a non-user target such as a role) gives null. Only audit:read holders
 * reach this, through audit.list.
 */
export async function withPeople(db: DbHandle, events: TAuditEvent[]): Promise<TAuditListItem[]> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.actorId) ids.add(event.actorId);
    const target = userTargetOf(event);
    if (target) ids.add(target);
  }
  const people = new Map<string, TPersonSummary>();
  for (const person of await selectPersonSummaries(db, [...ids])) people.set(person.id, person);
  const personOf = (id: string | null) => (id ? (people.get(id) ?? null) : null);
  return events.map((event) => ({ ...event, actor: personOf(event.actorId), target: personOf(userTargetOf(event)) }));
}

const userTargetOf = (event: TAuditEvent): string | null =>
  event.targetType === 'user' && event.targetId !== null && UUID.test(event.targetId) ? event.targetId.toLowerCase() : null;

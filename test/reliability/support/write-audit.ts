import type { PrismaClient } from '@ums/db';
import { expect } from 'vitest';
import { findAuditEvents } from '../../support/audit-events.ts';
import { isAcknowledged, type WriteKind, type WriteOutcome } from './write-load.ts';

const ACTION: Record<WriteKind, string> = {
  profile: 'user.profile_updated',
  settings: 'settings.updated',
  preferences: 'preferences.updated',
};
const FIELD: Record<WriteKind, string> = { profile: 'fullName', settings: 'profile.headline', preferences: 'language' };

export interface WriteCheck {
  acknowledged: number;
  /** Acknowledged writes whose change is in the database with its audit event. */
  found: number;
  missing: WriteOutcome[];
  /** Users whose versions and audit events disagree: a change without its event, or the reverse. */
  halfWritten: { userId: string; version: number; profileEvents: number; settingsVersion: number; settingsEvents: number }[];
}

/**
 * Checks the database against what the load was told: every acknowledged write has its audit event (which the
 * service writes in the same transaction as the change), and for every user each version bump has exactly one
 * event — `version - 1` profile events and `settings_version - 1` settings and preferences events — so no change
 * exists without its event, nor an event without its change. The load never touches `timezone`, whose settings
 * write also moves the profile version.
 */
export async function checkWrites(db: PrismaClient, userIds: readonly string[], outcomes: readonly WriteOutcome[]): Promise<WriteCheck> {
  const events = await findAuditEvents(
    { prisma: db },
    { where: { targetId: { in: [...userIds] }, action: { in: Object.values(ACTION) } } },
  );
  const recorded = new Set(
    events.flatMap((event) => {
      const kind = (Object.keys(ACTION) as WriteKind[]).find((candidate) => ACTION[candidate] === event.action);
      const changes = event.changes as Record<string, { to?: unknown }> | null;
      const to = kind ? changes?.[FIELD[kind]]?.to : undefined;
      return kind && typeof to === 'string' ? [`${event.targetId}|${kind}|${to}`] : [];
    }),
  );
  const acknowledgedWrites = outcomes.filter(isAcknowledged);
  const missing = acknowledgedWrites.filter((write) => !recorded.has(`${write.userId}|${write.kind}|${write.value}`));

  const users = await db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, version: true, settingsVersion: true } });
  const count = (userId: string, actions: string[]) =>
    events.filter((event) => event.targetId === userId && actions.includes(event.action)).length;
  const halfWritten = users
    .map((user) => ({
      userId: user.id,
      version: user.version,
      profileEvents: count(user.id, [ACTION.profile]),
      settingsVersion: user.settingsVersion,
      settingsEvents: count(user.id, [ACTION.settings, ACTION.preferences]),
    }))
    .filter((user) => user.version - 1 !== user.profileEvents || user.settingsVersion - 1 !== user.settingsEvents);
  return { acknowledged: acknowledgedWrites.length, found: acknowledgedWrites.length - missing.length, missing, halfWritten };
}

/** What every fault test asserts of checkWrites: nothing acknowledged is lost, nothing is half written. */
export function expectNoLostOrHalfWrites(check: WriteCheck): void {
  expect(check.missing, 'acknowledged writes missing from the database').toEqual([]);
  expect(check.halfWritten, 'changes without their audit event, or the reverse').toEqual([]);
  expect(check.found).toBe(check.acknowledged);
}

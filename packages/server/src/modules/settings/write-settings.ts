import { settingDefinitions, TIMEZONE_SETTING_KEY } from '@ums/contract';
import { type DbHandle, findSettingsVersion, lockUserRow, type SettingRowWrite, writeSettingsBatch } from '@ums/db';
import { AppError } from '../../app-error.ts';
import { auditEvent, type FieldChanges, webhookSubjectOf } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { userNotFound } from '../users/user-errors.ts';
import { staleSettingsVersion } from './settings-errors.ts';
import { effectiveSetting, loadSettingsState, type SettingsState } from './settings-state.ts';
import type { ValidSettingChange } from './validate-setting-changes.ts';

export interface SettingsWrite {
  userId: string;
  changes: readonly ValidSettingChange[];
  expectedVersion?: number | undefined;
  action: 'settings.updated' | 'preferences.updated';
}

/**
 * The one write path of both views. Optimistic first: read the stored state, then write every changed row, the
 * timezone, the next settings version and the audit event in one statement that applies only if the version is
 * still the one read — atomic without a transaction held open across round trips. If another writer got in
 * between, a versioned write is refused (409); an unversioned one is done again behind the user's row lock, where
 * what it reads cannot go stale, so no update is lost. Returns the state after the write.
 */
export async function writeSettings(deps: Pick<ServiceDeps, 'db' | 'actor'>, write: SettingsWrite): Promise<SettingsState> {
  const optimistic = await attemptWrite(deps, deps.db, write);
  if (optimistic.written) return optimistic.state;
  if (write.expectedVersion !== undefined) throw staleSettingsVersion(optimistic.currentVersion);
  return deps.db.transaction(async (tx) => {
    if (!(await lockUserRow(tx, write.userId))) throw userNotFound();
    const locked = await attemptWrite(deps, tx, write);
    if (!locked.written) throw new Error('settings version moved while the user row was locked');
    return locked.state;
  });
}

type Attempt = { written: true; state: SettingsState } | { written: false; currentVersion: number };

async function attemptWrite({ actor }: Pick<ServiceDeps, 'actor'>, db: DbHandle, write: SettingsWrite): Promise<Attempt> {
  const before = await loadSettingsState(db, write.userId);
  if (!before) throw userNotFound();
  if (write.expectedVersion !== undefined && before.version !== write.expectedVersion) {
    return { written: false, currentVersion: before.version };
  }
  const { after, rows, audited } = planWrite(before, write.changes);
  const entry = { action: write.action, targetType: 'user', targetId: write.userId, changes: audited };
  const version = await writeSettingsBatch(db, {
    userId: write.userId,
    readVersion: before.version,
    timezone: after.timezone === before.timezone ? undefined : after.timezone,
    rows,
    audit: auditEvent(actor, entry),
    webhook: webhookSubjectOf(entry),
  });
  if (version === null) {
    const currentVersion = await findSettingsVersion(db, write.userId);
    if (currentVersion === null) throw userNotFound();
    return { written: false, currentVersion };
  }
  return { written: true, state: { ...after, version } };
}

interface WritePlan {
  after: SettingsState;
  rows: SettingRowWrite[];
  audited: FieldChanges;
}

/** What the batch changes against what is stored: the rows to write, the from/to of each key, the state after. */
function planWrite(before: SettingsState, changes: readonly ValidSettingChange[]): WritePlan {
  const after: SettingsState = { ...before, rows: new Map(before.rows) };
  const audited: FieldChanges = {};
  const rows: SettingRowWrite[] = [];
  for (const change of changes) {
    const definition = settingDefinitions.get(change.key);
    if (!definition) throw new AppError('BAD_REQUEST', `Unknown setting ${change.key}`);
    const current = effectiveSetting(before, definition);
    const isPublic = change.isPublic ?? current.isPublic;
    if (JSON.stringify(current.value) !== JSON.stringify(change.value)) audited[change.key] = { from: current.value, to: change.value };
    if (isPublic !== current.isPublic) audited[`${change.key}:isPublic`] = { from: current.isPublic, to: isPublic };

    if (change.key === TIMEZONE_SETTING_KEY) {
      after.timezone = String(change.value);
      continue;
    }
    const { key, settingType } = definition;
    rows.push({ key, value: change.value, is_public: isPublic });
    after.rows.set(key, { key, value: change.value, settingType, isPublic });
  }
  return { after, rows, audited };
}

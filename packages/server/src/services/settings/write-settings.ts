import { settingDefinitions, TIMEZONE_SETTING_KEY, type TJsonValue } from '@ums/contract';
import { Prisma, type PrismaClient, type SqlClient, sqlThrough } from '@ums/db';
import { AppError } from '../../errors.ts';
import { type AuditActor, auditRow, type FieldChanges } from '../audit.ts';
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
export async function writeSettings(db: PrismaClient, sql: SqlClient, actor: AuditActor, write: SettingsWrite): Promise<SettingsState> {
  const optimistic = await attemptWrite(sql, actor, write);
  if (optimistic.written) return optimistic.state;
  if (write.expectedVersion !== undefined) throw staleVersion(optimistic.currentVersion);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${write.userId}::uuid FOR UPDATE`;
    const locked = await attemptWrite(sqlThrough(tx), actor, write);
    if (!locked.written) throw new Error('settings version moved while the user row was locked');
    return locked.state;
  });
}

type Attempt = { written: true; state: SettingsState } | { written: false; currentVersion: number };

async function attemptWrite(sql: SqlClient, actor: AuditActor, write: SettingsWrite): Promise<Attempt> {
  const before = await loadSettingsState(sql, write.userId);
  if (!before) throw new AppError('NOT_FOUND', 'No such user');
  if (write.expectedVersion !== undefined && before.version !== write.expectedVersion) {
    return { written: false, currentVersion: before.version };
  }
  const plan = planWrite(before, write.changes);
  const version = await applyWrite(sql, actor, write, before, plan);
  if (version === null) return { written: false, currentVersion: await currentSettingsVersion(sql, write.userId) };
  return { written: true, state: { ...plan.after, version } };
}

interface WritePlan {
  after: SettingsState;
  upserts: SettingRowWrite[];
  audited: FieldChanges;
}

/** A row to write; its type, category, description and rules are copied from the catalog table by the statement. */
interface SettingRowWrite {
  key: string;
  value: TJsonValue;
  is_public: boolean;
}

/** What the batch changes against what is stored: the rows to write, the from/to of each key, the state after. */
function planWrite(before: SettingsState, changes: readonly ValidSettingChange[]): WritePlan {
  const after: SettingsState = { ...before, rows: new Map(before.rows) };
  const audited: FieldChanges = {};
  const upserts: SettingRowWrite[] = [];
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
    upserts.push({ key, value: change.value, is_public: isPublic });
    after.rows.set(key, { key, value: change.value, settingType, isPublic });
  }
  return { after, upserts, audited };
}

/**
 * One statement: bump the settings version only if it is still the one read (also locking the user's row, so a
 * concurrent writer waits and then finds the version moved), and — only then — upsert every row of the batch (with
 * its catalog columns copied from settings_catalog, seeded from the same catalog at start) and insert the audit event. A timezone change moves the profile's own version too, so a stale profile edit is
 * refused. Returns the new settings version, or null when the version had moved and nothing was written.
 */
async function applyWrite(
  sql: SqlClient,
  actor: AuditActor,
  write: SettingsWrite,
  before: SettingsState,
  { after, upserts, audited }: WritePlan,
): Promise<number | null> {
  const { userId } = write;
  const profileChange =
    after.timezone === before.timezone
      ? Prisma.empty
      : Prisma.sql`, timezone = ${after.timezone}, version = version + 1, updated_at = now()`;
  const audit = auditRow(actor, { action: write.action, targetType: 'user', targetId: userId, changes: audited });
  const [claimed] = await sql.query<{ version: number }>(Prisma.sql`
    WITH claimed AS (
      UPDATE users SET settings_version = settings_version + 1 ${profileChange}
       WHERE id = ${userId}::uuid AND settings_version = ${before.version}
      RETURNING settings_version
    ), upserted AS (
      INSERT INTO user_settings (user_id, key, value, setting_type, category, description, is_public, validation_rules)
      SELECT ${userId}::uuid, x.key, x.value, c.setting_type, c.category, c.description, x.is_public, c.validation_rules
        FROM jsonb_to_recordset(${JSON.stringify(upserts)}::jsonb) AS x(key text, value jsonb, is_public boolean)
        -- A key the catalog table lacks leaves the NOT NULL columns empty: the statement fails, nothing is written.
        LEFT JOIN settings_catalog c ON c.key = x.key
       WHERE EXISTS (SELECT 1 FROM claimed)
      ON CONFLICT (user_id, key) DO UPDATE
         SET (value, setting_type, category, description, is_public, validation_rules, updated_at) =
             (EXCLUDED.value, EXCLUDED.setting_type, EXCLUDED.category, EXCLUDED.description, EXCLUDED.is_public,
              EXCLUDED.validation_rules, now())
    ), audited AS (
      INSERT INTO audit_events (id, actor_id, ip, user_agent, request_id, action, target_type, target_id, changes)
      SELECT ${audit.id}::uuid, ${audit.actorId}::uuid, ${audit.ip}, ${audit.userAgent}, ${audit.requestId}, ${audit.action},
             ${audit.targetType}, ${audit.targetId}, ${JSON.stringify(audit.changes)}::jsonb
       WHERE EXISTS (SELECT 1 FROM claimed)
    )
    SELECT settings_version AS version FROM claimed`);
  return claimed?.version ?? null;
}

async function currentSettingsVersion(sql: SqlClient, userId: string): Promise<number> {
  const [current] = await sql.query<{ version: number }>(
    Prisma.sql`SELECT settings_version AS version FROM users WHERE id = ${userId}::uuid`,
  );
  if (!current) throw new AppError('NOT_FOUND', 'No such user');
  return current.version;
}

const staleVersion = (currentVersion: number) =>
  new AppError('CONFLICT', `The settings were changed meanwhile (now at version ${currentVersion}); reload and retry`, {
    data: { currentVersion },
  });

import { type TUserExport, ZUserExport } from '@ums/contract';
import { selectRolesByName } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { listPasskeys } from '../passkeys/list-passkeys.ts';
import { toRoleView } from '../rbac/role-view.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { listSessions } from '../sessions/list-sessions.ts';
import { getPreferences } from '../settings/get-preferences.ts';
import { getUserSettings } from '../settings/get-user-settings.ts';
import { getUser } from '../users/get-user.ts';

/** Every part of an export but its audit events, which are read page by page (export-audit-events.ts). */
export type ExportHead = Omit<TUserExport, 'auditEvents'>;

export interface UserExportRequest {
  userId: string;
  /** The session asking: marked `current` among the sessions (none of the user's own when an administrator asks). */
  currentSessionId: string;
}

const parts = ZUserExport.shape;

/**
 * Records that the person's data is being exported (`user.exported`, actor the caller, target the person), then
 * reads every small part of the export through the services that answer for it one by one, so each part is what
 * the API shows for it. The event is written before anything is sent: an export that started is on record even if
 * the caller drops the connection halfway. An unknown id is a 404 and records nothing.
 */
export async function startUserExport(
  deps: Pick<ServiceDeps, 'db' | 'actor'>,
  { userId, currentSessionId }: UserExportRequest,
): Promise<ExportHead> {
  await deps.db.transaction(async (tx) => {
    await getUser({ db: tx }, { id: userId });
    await recordAudit(tx, deps.actor, { action: 'user.exported', targetType: 'user', targetId: userId });
  });
  const exportedAt = new Date().toISOString();
  const user = await getUser(deps, { id: userId });
  const [preferences, settings, roles, sessions, passkeys] = await Promise.all([
    getPreferences(deps, { userId }),
    getUserSettings(deps, { userId }),
    selectRolesByName(deps.db, user.roles),
    listSessions(deps, { userId, currentSessionId }),
    listPasskeys(deps, { userId }),
  ]);
  // Parsed through the export's own schema: a field a service adds tomorrow is left out until the schema names it.
  return {
    exportedAt: parts.exportedAt.parse(exportedAt),
    user: parts.user.parse(user),
    preferences: parts.preferences.parse(preferences),
    settings: parts.settings.parse(settings.settings),
    roles: parts.roles.parse(roles.map(toRoleView)),
    sessions: parts.sessions.parse(sessions.items),
    passkeys: parts.passkeys.parse(passkeys.items),
  };
}

import { ADMIN_ROLE, DEFAULT_ROLE } from '@ums/contract';
import { addUserRoles, countActiveAdmins, type Db, findUserIdByEmail, insertUser, selectRoleIdsByName, writeActivation } from '@ums/db';
import type { ServerConfig } from '../config.ts';
import { recordAudit } from '../modules/audit/record-audit.ts';
import { hashPassword } from '../modules/auth/passwords.ts';

const SYSTEM = { actorId: null, ip: null, userAgent: null, requestId: null };

/**
 * BOOTSTRAP_ADMIN_*: when no active admin exists, make this account one (creating it if needed), so a new
 * installation can be administered. Does nothing once an active admin exists.
 */
export async function ensureBootstrapAdmin(
  { db }: { db: Db },
  admin: ServerConfig['bootstrapAdmin'],
): Promise<'created' | 'promoted' | 'exists' | 'skipped'> {
  if (!admin) return 'skipped';
  if ((await countActiveAdmins(db)) > 0) return 'exists';
  const passwordHash = await hashPassword(admin.password);
  return db.transaction(async (tx) => {
    const roleIds = await selectRoleIdsByName(tx, [ADMIN_ROLE, DEFAULT_ROLE]);
    const existing = await findUserIdByEmail(tx, admin.email);
    if (existing) {
      await writeActivation(tx, existing, { isActive: true, deactivatedAt: null, deactivatedBy: null, deactivationReason: null });
      await addUserRoles(tx, existing, roleIds);
      await recordAudit(tx, SYSTEM, {
        action: 'user.bootstrap_admin',
        targetType: 'user',
        targetId: existing,
        changes: { roles: { from: null, to: [ADMIN_ROLE] } },
      });
      return 'promoted';
    }
    // The operator named this address: it counts as proven (REQUIRE_EMAIL_VERIFICATION must not lock them out).
    const userId = await insertUser(tx, { email: admin.email, passwordHash, roleIds, emailVerifiedAt: new Date() });
    await recordAudit(tx, SYSTEM, {
      action: 'user.bootstrap_admin',
      targetType: 'user',
      targetId: userId,
      changes: { email: { from: null, to: admin.email } },
    });
    return 'created';
  });
}

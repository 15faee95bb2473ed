import { ADMIN_ROLE, builtInRoles, DEFAULT_ROLE, permissionCatalog, permissionNames } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { hashPassword } from '../auth/passwords.ts';
import type { ServerConfig } from '../config.ts';
import { recordAudit } from './audit.ts';
import { seedSettingsCatalog } from './settings/settings-catalog.ts';

/**
 * What must exist for the service to work, idempotently: the permission catalog and the built-in roles.
 * Built-in roles are created when missing; `admin` always holds every permission (new ones included), while
 * an operator's edits to other built-in roles are kept.
 */
export async function seedDatabase(db: PrismaClient): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const name of permissionNames) {
      const description = permissionCatalog[name];
      await tx.permission.upsert({ where: { name }, create: { name, description }, update: { description } });
    }
    for (const role of builtInRoles) {
      const existing = await tx.role.findUnique({ where: { name: role.name }, select: { id: true } });
      if (!existing) {
        await tx.role.create({
          data: {
            name: role.name,
            description: role.description,
            builtIn: true,
            permissions: { create: role.permissions.map((permission) => ({ permission })) },
          },
        });
      } else if (role.name === ADMIN_ROLE) {
        await tx.rolePermission.createMany({
          data: role.permissions.map((permission) => ({ roleId: existing.id, permission })),
          skipDuplicates: true,
        });
      }
    }
    await seedSettingsCatalog(tx);
  });
}

/**
 * BOOTSTRAP_ADMIN_*: when no active admin exists, make this account one (creating it if needed), so a new
 * installation can be administered. Does nothing once an active admin exists.
 */
export async function ensureBootstrapAdmin(
  db: PrismaClient,
  admin: ServerConfig['bootstrapAdmin'],
): Promise<'created' | 'promoted' | 'exists' | 'skipped'> {
  if (!admin) return 'skipped';
  const activeAdmins = await db.user.count({ where: { isActive: true, roles: { some: { role: { name: ADMIN_ROLE } } } } });
  if (activeAdmins > 0) return 'exists';
  const passwordHash = await hashPassword(admin.password);
  return db.$transaction(async (tx) => {
    const roles = await tx.role.findMany({ where: { name: { in: [ADMIN_ROLE, DEFAULT_ROLE] } }, select: { id: true } });
    const existing = await tx.user.findUnique({ where: { email: admin.email }, select: { id: true } });
    const system = { actorId: null, ip: null, userAgent: null, requestId: null };
    if (existing) {
      await tx.user.update({
        where: { id: existing.id },
        data: { isActive: true, deactivatedAt: null, deactivatedBy: null, deactivationReason: null, version: { increment: 1 } },
      });
      await tx.userRole.createMany({ data: roles.map((role) => ({ userId: existing.id, roleId: role.id })), skipDuplicates: true });
      await recordAudit(tx, system, {
        action: 'user.bootstrap_admin',
        targetType: 'user',
        targetId: existing.id,
        changes: { roles: { from: null, to: [ADMIN_ROLE] } },
      });
      return 'promoted';
    }
    const user = await tx.user.create({
      data: { email: admin.email, passwordHash, roles: { create: roles.map((role) => ({ roleId: role.id })) } },
      select: { id: true },
    });
    await recordAudit(tx, system, {
      action: 'user.bootstrap_admin',
      targetType: 'user',
      targetId: user.id,
      changes: { email: { from: null, to: admin.email } },
    });
    return 'created';
  });
}

import { ADMIN_ROLE, builtInRoles, permissionCatalog, permissionNames, settingsCatalog } from '@ums/contract';
import { addRolePermissions, type Db, findRoleIdByName, insertRole, syncSettingsCatalog, upsertPermission } from '@ums/db';

/**
 * What must exist for the service to work, idempotently: the permission catalog, the built-in roles and the
 * settings catalog's table. Built-in roles are created when missing; `admin` always holds every permission (new ones
 * included), while an operator's edits to other built-in roles are kept.
 */
export async function seedDatabase({ db }: { db: Db }): Promise<void> {
  await db.transaction(async (tx) => {
    for (const name of permissionNames) await upsertPermission(tx, { name, description: permissionCatalog[name] });
    for (const role of builtInRoles) {
      const existing = await findRoleIdByName(tx, role.name);
      if (!existing) await insertRole(tx, { ...role, builtIn: true });
      else if (role.name === ADMIN_ROLE) await addRolePermissions(tx, existing, role.permissions);
    }
    await syncSettingsCatalog(tx, settingsCatalog);
  });
}

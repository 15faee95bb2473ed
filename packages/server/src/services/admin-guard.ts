import { ADMIN_ROLE } from '@ums/contract';
import { AppError } from '../errors.ts';
import type { Tx } from './sessions.ts';

/**
 * Serialises every change that could remove an active admin (deactivation, role changes), so two concurrent
 * changes cannot each see "one other admin left" and together leave none. Call first in the transaction.
 */
export async function lockAdminRole(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT id FROM roles WHERE name = ${ADMIN_ROLE} FOR UPDATE`;
}

/** Call after the change, in the same transaction (after lockAdminRole): refuses to leave no active admin. */
export async function assertActiveAdminRemains(tx: Tx): Promise<void> {
  const activeAdmins = await tx.user.count({ where: { isActive: true, roles: { some: { role: { name: ADMIN_ROLE } } } } });
  if (activeAdmins === 0) throw new AppError('CONFLICT', 'This would leave no active admin');
}

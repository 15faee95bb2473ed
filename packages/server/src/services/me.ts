import type { TMe } from '@ums/contract';
import type { PrismaClient } from '@ums/db';
import { AppError } from '../errors.ts';
import type { AuthState } from '../trpc/context.ts';
import { toUserView, userSelect } from './user-view.ts';

export async function getMe(db: PrismaClient, auth: AuthState): Promise<TMe> {
  const row = await db.user.findUnique({ where: { id: auth.userId }, select: userSelect });
  if (!row) throw new AppError('UNAUTHORIZED', 'Not signed in, or the session has ended');
  return { ...toUserView(row), permissions: [...auth.permissions].sort() };
}

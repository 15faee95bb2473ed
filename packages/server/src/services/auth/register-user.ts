import { DEFAULT_ROLE, type TRegisterInput, type TRegisterResult } from '@ums/contract';
import { Prisma, type PrismaClient } from '@ums/db';
import { hashPassword } from '../../auth/passwords.ts';
import type { TokenService } from '../../auth/tokens.ts';
import { AppError } from '../../errors.ts';
import { type AuditActor, recordAudit } from '../audit.ts';
import { toUserView, userSelect } from '../user-view.ts';
import { startSession } from './start-session.ts';

export interface RegisterUserOptions extends TRegisterInput {
  actor: AuditActor;
  tokens: TokenService;
  refreshTtlSeconds: number;
  registration: 'open' | 'closed';
}

/**
 * Self-service sign-up: a new account with the default role, signed in at once. The unique index on email is the
 * only judge of "taken", so concurrent sign-ups with one address yield exactly one account and 409s for the rest.
 */
export async function registerUser(
  db: PrismaClient,
  { email, password, fullName, actor, tokens, refreshTtlSeconds, registration }: RegisterUserOptions,
): Promise<TRegisterResult> {
  if (registration === 'closed') throw new AppError('FORBIDDEN', 'Registration is closed');
  const passwordHash = await hashPassword(password);
  try {
    return await db.$transaction(async (tx) => {
      const role = await tx.role.findUnique({ where: { name: DEFAULT_ROLE }, select: { id: true } });
      if (!role) throw new Error(`The built-in role "${DEFAULT_ROLE}" is missing: the database was not seeded`);
      const user = await tx.user.create({
        // Signing up signs in: lastLoginAt is set like at any sign-in with the password.
        data: { email, passwordHash, fullName: fullName ?? null, lastLoginAt: new Date(), roles: { create: { roleId: role.id } } },
        select: userSelect,
      });
      // Self-registration: the new user is their own actor.
      const self = { ...actor, actorId: user.id };
      const { sessionId: _sessionId, ...tokenPair } = await startSession(tx, { userId: user.id, actor: self, tokens, refreshTtlSeconds });
      await recordAudit(tx, self, {
        action: 'auth.register',
        targetType: 'user',
        targetId: user.id,
        changes: {
          email: { from: null, to: email },
          ...(fullName ? { fullName: { from: null, to: fullName } } : {}),
          roles: { from: null, to: [DEFAULT_ROLE] },
        },
      });
      return { user: toUserView(user), ...tokenPair };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('CONFLICT', 'email: this address is already in use', { cause: error });
    }
    throw error;
  }
}

import { DEFAULT_ROLE, type TRegisterInput, type TRegisterResult } from '@ums/contract';
import { findRoleIdByName, findUserById, insertUser, isUniqueViolation } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { sendVerificationLink } from '../email/send-verification-link.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { startSession } from '../sessions/start-session.ts';
import { emailTaken } from '../users/user-errors.ts';
import { registrationClosed } from './auth-errors.ts';
import { hashPassword } from './passwords.ts';

/**
 * Self-service sign-up: a new account with the default role, signed in at once, and a link mailed to prove the
 * address (it does not count against the address's mail budget). The unique index on email is the
 * only judge of "taken", so concurrent sign-ups with one address yield exactly one account and 409s for the rest.
 */
export async function registerUser(deps: ServiceDeps, { email, password, fullName }: TRegisterInput): Promise<TRegisterResult> {
  if (deps.config.registration === 'closed') throw registrationClosed();
  const passwordHash = await hashPassword(password);
  try {
    const registered = await deps.db.transaction(async (tx) => {
      const roleId = await findRoleIdByName(tx, DEFAULT_ROLE);
      if (!roleId) throw new Error(`The built-in role "${DEFAULT_ROLE}" is missing: the database was not seeded`);
      // Signing up signs in: lastLoginAt is set like at any sign-in with the password.
      const userId = await insertUser(tx, { email, passwordHash, fullName: fullName ?? null, lastLoginAt: new Date(), roleIds: [roleId] });
      // Self-registration: the new user is their own actor.
      const self = { ...deps, actor: { ...deps.actor, actorId: userId } };
      const { sessionId: _sessionId, ...tokenPair } = await startSession(self, { tx, userId, methods: ['password'] });
      await recordAudit(tx, self.actor, {
        action: 'auth.register',
        targetType: 'user',
        targetId: userId,
        changes: {
          email: { from: null, to: email },
          ...(fullName ? { fullName: { from: null, to: fullName } } : {}),
          roles: { from: null, to: [DEFAULT_ROLE] },
        },
      });
      await sendVerificationLink(deps, tx, { userId, email, name: fullName ?? null, budgeted: false });
      const user = await findUserById(tx, userId);
      if (!user) throw new Error('the account just created is not there');
      return { user, ...tokenPair };
    });
    deps.outbox.wake();
    return registered;
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(error);
    throw error;
  }
}

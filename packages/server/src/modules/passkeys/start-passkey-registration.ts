import type { TWebAuthnOptions } from '@ums/contract';
import { deleteStalePasskeyChallenges, findMailAddress, insertPasskeyChallenge, listPasskeyCredentials } from '@ums/db';
import { sessionEnded } from '../auth/auth-errors.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { PASSKEY_CHALLENGE_TTL_SECONDS, registrationOptions } from './webauthn.ts';

/** Creation options for a new passkey; the challenge is kept, bound to the caller's session, for 5 minutes. */
export async function startPasskeyRegistration(
  { db, config }: Pick<ServiceDeps, 'db' | 'config'>,
  { userId, sessionId }: { userId: string; sessionId: string },
): Promise<TWebAuthnOptions> {
  const [address, existing] = await Promise.all([findMailAddress(db, userId), listPasskeyCredentials(db, userId)]);
  if (!address) throw sessionEnded();
  const options = await registrationOptions(config.webauthn, { id: userId, ...address }, existing);
  await deleteStalePasskeyChallenges(db);
  await insertPasskeyChallenge(db, {
    purpose: 'register',
    challenge: options.challenge,
    userId,
    sessionId,
    expiresAt: new Date(Date.now() + PASSKEY_CHALLENGE_TTL_SECONDS * 1000),
  });
  return options;
}

import type { TPasskey, TRegistrationResponse } from '@ums/contract';
import { consumePasskeyChallenge, insertPasskey, lockUserRow } from '@ums/db';
import { recordAudit } from '../audit/record-audit.ts';
import { sessionEnded } from '../auth/auth-errors.ts';
import { enqueueMfaNotice } from '../mfa/mfa-notice.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { passkeyAlreadyRegistered, passkeyInvalid } from './passkey-errors.ts';
import { toPasskey } from './passkey-view.ts';
import { signedChallenge, verifyRegistration } from './webauthn.ts';

/**
 * Registers the passkey the browser made for a challenge of this session. The challenge is used up first, in its
 * own statement, so a response can be tried once whatever its outcome; a credential id already registered (to
 * anyone) is refused. The passkey, its event and the notice commit together.
 */
export async function registerPasskey(
  deps: Pick<ServiceDeps, 'db' | 'config' | 'actor' | 'secrets' | 'outbox'>,
  { userId, sessionId, name, response }: { userId: string; sessionId: string; name: string; response: TRegistrationResponse },
): Promise<TPasskey> {
  const challenge = signedChallenge(response.response.clientDataJSON);
  const claimed = challenge && (await consumePasskeyChallenge(deps.db, { purposes: ['register'], sessionId, challenge }));
  if (!claimed || claimed.userId !== userId) throw passkeyInvalid();
  const credential = await verifyRegistration(deps.config.webauthn, response, claimed.challenge);
  if (!credential) throw passkeyInvalid();

  const passkey = await deps.db.transaction(async (tx) => {
    if (!(await lockUserRow(tx, userId))) throw sessionEnded();
    const row = await insertPasskey(tx, { userId, name, ...credential });
    if (!row) throw passkeyAlreadyRegistered();
    await recordAudit(tx, deps.actor, {
      action: 'passkey.added',
      targetType: 'user',
      targetId: userId,
      changes: { passkey: { from: null, to: { id: row.id, name: row.name, backedUp: row.backedUp } } },
    });
    await enqueueMfaNotice(deps, tx, userId, 'passkey_added');
    return row;
  });
  deps.outbox.wake();
  return toPasskey(passkey);
}

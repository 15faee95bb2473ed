import type { WebhookTarget } from '@ums/db';
import { Webhook } from 'standardwebhooks';
import type { SecretBox } from '../../crypto/secret-box.ts';

/** How long a rotated-out secret keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

/**
 * The Standard Webhooks headers of one attempt: `webhook-signature` carries one `v1,<sig>` per valid secret (the
 * current one, and the previous one during its overlap), space-separated, so a receiver holding either verifies.
 */
export function signWebhook(
  secrets: SecretBox,
  target: Pick<WebhookTarget, 'sealedSecret' | 'previousSealedSecret' | 'previousSecretExpiresAt'>,
  { eventId, body, at }: { eventId: string; body: string; at: Date },
): Record<string, string> {
  const sealed = [target.sealedSecret];
  if (target.previousSealedSecret && target.previousSecretExpiresAt && target.previousSecretExpiresAt > at) {
    sealed.push(target.previousSealedSecret);
  }
  const signatures = sealed.map((value) => new Webhook(secrets.open(value)).sign(eventId, at, body));
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

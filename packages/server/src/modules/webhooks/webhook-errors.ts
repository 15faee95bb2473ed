import { AppError, fieldError } from '../../app-error.ts';
import { checkWebhookTarget, RefusedTargetError, type ResolveHost } from './target-guard.ts';

export const webhookNotFound = () => new AppError('NOT_FOUND', 'No such webhook endpoint');
export const webhookDisabled = () => new AppError('CONFLICT', 'The webhook endpoint is disabled');

/** The SSRF guard at create and update: a refused target is a 400 naming `url`. */
export async function requireAllowedTarget(url: string, policy: { allowPrivateNetworks: boolean; resolveHost: ResolveHost }) {
  try {
    await checkWebhookTarget(url, policy);
  } catch (error) {
    if (error instanceof RefusedTargetError) throw fieldError(['url'], error.message);
    throw error;
  }
}

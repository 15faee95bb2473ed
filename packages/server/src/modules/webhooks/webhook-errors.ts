import { fieldError } from '../../app-error.ts';
import { defineError } from '../../define-error.ts';
import { checkWebhookTarget, RefusedTargetError, type ResolveHost } from './target-guard.ts';

export const webhookNotFound = defineError({ code: 'NOT_FOUND', description: 'No webhook endpoint has this id' }, () => ({
  message: 'No such webhook endpoint',
}));

export const webhookDisabled = defineError({ code: 'CONFLICT', description: 'The endpoint is disabled: enable it first' }, () => ({
  message: 'The webhook endpoint is disabled',
}));

export const attemptNotFound = defineError({ code: 'NOT_FOUND', description: 'No delivery attempt has this id' }, () => ({
  message: 'No such delivery attempt',
}));

/** The SSRF guard at create and update: a refused target is a 400 naming `url`. */
export async function requireAllowedTarget(url: string, policy: { allowPrivateNetworks: boolean; resolveHost: ResolveHost }) {
  try {
    await checkWebhookTarget(url, policy);
  } catch (error) {
    if (error instanceof RefusedTargetError) throw fieldError(['url'], error.message);
    throw error;
  }
}

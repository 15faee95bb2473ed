import type { WebhookEventType } from '@ums/contract';

/**
 * The audit actions that are webhook events, and the event each one is: the one table the audit writer consults, so
 * an event is written exactly where (and only when) its change's audit event is.
 */
const eventOfAuditAction: Readonly<Record<string, WebhookEventType>> = {
  'auth.register': 'user.created',
  'user.updated': 'user.updated',
  'user.profile_updated': 'user.updated',
  'settings.updated': 'user.updated',
  'preferences.updated': 'user.updated',
  'user.deactivated': 'user.deactivated',
  'user.reactivated': 'user.reactivated',
  'user.deletion_requested': 'user.deactivated',
  'user.erased': 'user.erased',
  'user.roles_set': 'user.roles_changed',
  'user.email_verified': 'user.email_verified',
  'user.email_changed': 'user.email_changed',
  'auth.password_changed': 'user.password_changed',
  'user.password_reset': 'user.password_changed',
  'mfa.totp_enabled': 'user.mfa_enabled',
  'mfa.totp_disabled': 'user.mfa_disabled',
  'mfa.reset': 'user.mfa_disabled',
  'role.created': 'role.created',
  'role.updated': 'role.updated',
  'role.deleted': 'role.deleted',
};

export const webhookEventOf = (action: string): WebhookEventType | undefined =>
  Object.hasOwn(eventOfAuditAction, action) ? eventOfAuditAction[action] : undefined;

import type { TCreateWebhookInput, TUpdateWebhookInput, TWebhookEndpoint } from '@ums/contract';
import {
  deleteWebhookEndpoint,
  insertWebhookEndpoint,
  lockWebhookEndpoint,
  rotateWebhookSecret as rotateSecretRow,
  selectWebhookEndpoints,
  updateWebhookEndpoint,
} from '@ums/db';
import { diffFields, recordAudit } from '../audit/record-audit.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { requireAllowedTarget, webhookNotFound } from './webhook-errors.ts';
import { newWebhookSecret } from './webhook-secret.ts';
import { ROTATION_OVERLAP_MS } from './webhook-signature.ts';
import { toWebhookEndpointView } from './webhook-view.ts';

type Deps = Pick<ServiceDeps, 'db' | 'actor' | 'config' | 'secrets' | 'webhooks'>;

const AUDITED_FIELDS = ['url', 'description', 'events', 'enabled'] as const;
type AuditedFields = Record<(typeof AUDITED_FIELDS)[number], unknown>;
const NONE: AuditedFields = { url: null, description: null, events: null, enabled: null };

const policyOf = (deps: Deps) => ({
  allowPrivateNetworks: deps.config.webhooks.allowPrivateNetworks,
  resolveHost: deps.webhooks.resolveHost,
});

export async function listWebhooks({ db }: Pick<ServiceDeps, 'db'>): Promise<{ items: TWebhookEndpoint[] }> {
  return { items: (await selectWebhookEndpoints(db)).map(toWebhookEndpointView) };
}

/** The secret is in this answer and the rotation's only: it is stored sealed and never shown again. */
export async function createWebhook(deps: Deps, input: TCreateWebhookInput): Promise<TWebhookEndpoint & { secret: string }> {
  await requireAllowedTarget(input.url, policyOf(deps));
  const secret = newWebhookSecret();
  const endpoint = await deps.db.transaction(async (tx) => {
    const row = await insertWebhookEndpoint(tx, {
      url: input.url,
      description: input.description ?? '',
      events: input.events,
      enabled: input.enabled ?? true,
      sealedSecret: deps.secrets.seal(secret),
    });
    await recordAudit(tx, deps.actor, {
      action: 'webhook.created',
      targetType: 'webhook',
      targetId: row.id,
      changes: diffFields<AuditedFields>(NONE, row, AUDITED_FIELDS),
    });
    return row;
  });
  if (endpoint.enabled) deps.webhooks.wake.subscribed();
  return { ...toWebhookEndpointView(endpoint), secret };
}

export async function updateWebhook(deps: Deps, { id, ...change }: TUpdateWebhookInput): Promise<TWebhookEndpoint> {
  if (change.url !== undefined) await requireAllowedTarget(change.url, policyOf(deps));
  const endpoint = await deps.db.transaction(async (tx) => {
    const before = await lockWebhookEndpoint(tx, id);
    if (!before) throw webhookNotFound();
    const after = await updateWebhookEndpoint(tx, id, change);
    const changes = diffFields(before, after, AUDITED_FIELDS);
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, deps.actor, { action: 'webhook.updated', targetType: 'webhook', targetId: id, changes });
    }
    return after;
  });
  if (endpoint.enabled) deps.webhooks.wake.subscribed();
  return toWebhookEndpointView(endpoint);
}

/** Deliveries still waiting are dropped with it: nobody can receive them any more. */
export async function deleteWebhook(deps: Pick<ServiceDeps, 'db' | 'actor'>, { id }: { id: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const before = await lockWebhookEndpoint(tx, id);
    if (!before) throw webhookNotFound();
    await deleteWebhookEndpoint(tx, id);
    await recordAudit(tx, deps.actor, {
      action: 'webhook.deleted',
      targetType: 'webhook',
      targetId: id,
      changes: diffFields<AuditedFields>(before, NONE, AUDITED_FIELDS),
    });
  });
}

/** A new secret signs from now on; the old one signs beside it for 24 h, so receivers can switch without a gap. */
export async function rotateWebhookSecret(deps: Deps, { id }: { id: string }): Promise<TWebhookEndpoint & { secret: string }> {
  const secret = newWebhookSecret();
  const endpoint = await deps.db.transaction(async (tx) => {
    const row = await lockWebhookEndpoint(tx, id);
    if (!row) throw webhookNotFound();
    const overlapEndsAt = new Date(Date.now() + ROTATION_OVERLAP_MS);
    await rotateSecretRow(tx, id, deps.secrets.seal(secret), overlapEndsAt);
    await recordAudit(tx, deps.actor, {
      action: 'webhook.secret_rotated',
      targetType: 'webhook',
      targetId: id,
      changes: { previousSecretValidUntil: { from: null, to: overlapEndsAt.toISOString() } },
    });
    return row;
  });
  return { ...toWebhookEndpointView(endpoint), secret };
}

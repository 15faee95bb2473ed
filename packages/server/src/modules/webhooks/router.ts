import {
  ZCreateWebhookInput,
  ZRedeliverInput,
  ZUpdateWebhookInput,
  ZWebhookAttemptList,
  ZWebhookDeliveriesInput,
  ZWebhookEndpoint,
  ZWebhookEndpointList,
  ZWebhookEndpointWithSecret,
  ZWebhookIdInput,
  ZWebhookQueued,
} from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { permissionProcedure } from '../../trpc/procedures.ts';
import { createWebhook, deleteWebhook, listWebhooks, rotateWebhookSecret, updateWebhook } from './manage-webhooks.ts';
import { listWebhookDeliveries, redeliverWebhook, sendTestWebhook } from './webhook-deliveries.ts';

const tags = ['webhooks'];
const manage = permissionProcedure('webhooks:manage');

export const webhooksRouter = router({
  list: manage
    .meta({ openapi: { method: 'GET', path: '/webhooks', tags, summary: 'Every webhook endpoint (never its secret)' } })
    .input(z.void())
    .output(ZWebhookEndpointList)
    .query(({ ctx }) => listWebhooks(ctx)),
  create: manage
    .meta({
      openapi: { method: 'POST', path: '/webhooks', tags, summary: 'Add an endpoint; the answer is the only one with its secret' },
      successStatus: 201,
    })
    .input(ZCreateWebhookInput)
    .output(ZWebhookEndpointWithSecret)
    .mutation(({ ctx, input }) => createWebhook(ctx, input)),
  update: manage
    .meta({ openapi: { method: 'PUT', path: '/webhooks/{id}', tags, summary: "Change an endpoint's URL, events, description or state" } })
    .input(ZUpdateWebhookInput)
    .output(ZWebhookEndpoint)
    .mutation(({ ctx, input }) => updateWebhook(ctx, input)),
  delete: manage
    .meta({
      openapi: { method: 'DELETE', path: '/webhooks/{id}', tags, summary: 'Delete an endpoint and its waiting deliveries' },
      successStatus: 204,
    })
    .input(ZWebhookIdInput)
    .output(z.void())
    .mutation(({ ctx, input }) => deleteWebhook(ctx, input)),
  rotateSecret: manage
    .meta({
      openapi: { method: 'POST', path: '/webhooks/{id}/rotate-secret', tags, summary: 'New secret; the old one also signs for 24 h' },
    })
    .input(ZWebhookIdInput)
    .output(ZWebhookEndpointWithSecret)
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx, input)),
  deliveries: manage
    .meta({ openapi: { method: 'GET', path: '/webhooks/{id}/deliveries', tags, summary: "An endpoint's delivery attempts, newest first" } })
    .input(ZWebhookDeliveriesInput)
    .output(ZWebhookAttemptList)
    .query(({ ctx, input }) => listWebhookDeliveries(ctx, input)),
  redeliver: manage
    .meta({
      openapi: { method: 'POST', path: '/webhooks/deliveries/{attemptId}/redeliver', tags, summary: "Send an attempt's event again" },
      successStatus: 202,
    })
    .input(ZRedeliverInput)
    .output(ZWebhookQueued)
    .mutation(({ ctx, input }) => redeliverWebhook(ctx, input)),
  test: manage
    .meta({ openapi: { method: 'POST', path: '/webhooks/{id}/test', tags, summary: 'Send a webhook.test event' }, successStatus: 202 })
    .input(ZWebhookIdInput)
    .output(ZWebhookQueued)
    .mutation(({ ctx, input }) => sendTestWebhook(ctx, input)),
});

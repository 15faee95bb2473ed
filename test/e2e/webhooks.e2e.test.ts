import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { ADMIN, type E2E, startE2E } from './environment.ts';
import { shot, signIn, visible } from './page-helpers.ts';

// The Webhooks page against the real server, delivering to a receiver in this process (loopback allowed).
let e2e: E2E;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  e2e = await startE2E({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', OUTBOX_POLL_MS: '100' } });
});
afterAll(async () => {
  await e2e?.close();
  await receiver?.close();
});

describe('the Webhooks page', () => {
  it('adds an endpoint, shows its secret once, sends a test event the receiver verifies, lists and redelivers it', async () => {
    const { context, page } = await e2e.newPage(1280);
    await page.goto('/admin/');
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await visible(page.getByRole('heading', { name: 'Webhooks', level: 1 }));

    // A refused target: the server's message next to the URL field.
    const form = page.getByRole('form', { name: 'New endpoint' });
    await form.getByLabel('URL').fill('ftp://example.com/x');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await visible(form.locator('.field-error'));

    await form.getByLabel('URL').fill(receiver.url);
    await form.getByLabel('Description').fill('Receiver');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secretText = await page.getByTestId('webhook-secret').textContent();
    expect(secretText).toMatch(/^whsec_/);
    await shot(page, '1280-webhooks');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);

    const card = page.getByRole('region', { name: 'Receiver' });
    await card.getByRole('button', { name: 'Send test event' }).click();
    await receiver.waitFor((all) => all.length === 1, 'the test event');
    expect(verifyWebhook(receiver.received[0]!, secretText!)).toMatchObject({ type: 'webhook.test' });

    await visible(card.getByRole('cell', { name: 'webhook.test' }));
    await card.getByRole('button', { name: 'Redeliver' }).first().click();
    await receiver.waitFor((all) => all.length === 2, 'the redelivery');
    expect(receiver.received[1]!.id).toBe(receiver.received[0]!.id);
    await context.close();
  });
});

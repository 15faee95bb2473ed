import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, SCREENSHOTS, startE2E } from './environment.ts';
import { horizontalOverflow, shot, visible } from './page-helpers.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('/docs, the REST document for people', () => {
  it('opens on the overview and the operations grouped by tag, and an operation shows its description, example and statuses (1280 px)', async () => {
    const { context, page } = await e2e.newPage(1280);
    await page.goto('/docs');
    await visible(page.getByRole('heading', { name: /User management service/ }));
    // The overview: authentication, 401 vs 403, errors, expectedVersion, cursors — said once, at the top.
    for (const heading of [
      'Authentication',
      '401 or 403',
      'Errors',
      'Optimistic concurrency: expectedVersion and 409',
      'Paging with cursors',
    ]) {
      await visible(page.getByRole('heading', { name: heading }));
    }
    // Grouped by the declared tags, each with its description.
    for (const tag of ['auth', 'me', 'users', 'rbac', 'settings', 'audit']) await visible(page.locator(`#operations-tag-${tag}`));
    await visible(page.getByText("The caller's own account: profile, email change, sessions, settings and preferences."));
    expect(await horizontalOverflow(page), '/docs overflows sideways').toBeLessThanOrEqual(0);
    await shot(page, '1280-docs');
    // What a reader sees first, without scrolling.
    await page.screenshot({ path: join(SCREENSHOTS, '1280-docs-first-screen.png') });

    await page.locator('#operations-auth-auth-login').getByRole('button').first().click();
    const login = page.locator('#operations-auth-auth-login');
    await visible(login.getByText('Signs in with email and password and starts a session'));
    await visible(login.getByText('correct horse battery staple'));
    await visible(login.getByText('Wrong email or password, or a deactivated account'));
    await visible(login.getByText('Retry-After'));
    await shot(page, '1280-docs-login');
    await login.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, '1280-docs-login-first-screen.png') });
    await context.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type E2E, registerUser, startE2E } from './environment.ts';
import { shot, signIn, visible } from './page-helpers.ts';

// Erasure in the console: an administrator erases a user after typing their email; a user deletes their own account.
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('erasure in the console', () => {
  it('erases a user from their page once their email is typed', async () => {
    const target = await registerUser(e2e.baseUrl, 'erase.target@example.com', 'Erin Erasable');
    const { context, page } = await e2e.newPage(1280);
    await signIn(page, ADMIN.email, ADMIN.password);
    // Signed in: an admin lands on the dashboard.
    await visible(page.getByRole('heading', { name: 'Dashboard', level: 1 }));
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Users', level: 1 }));
    await page.getByLabel('Search').fill('erin erasable');
    await page.getByRole('link', { name: 'Erin Erasable' }).click();
    await visible(page.getByRole('heading', { name: 'Erin Erasable', level: 1 }));
    const form = page.getByRole('form', { name: 'Erase user' });
    await visible(form);
    const button = form.getByRole('button', { name: 'Erase user' });
    expect(await button.isDisabled()).toBe(true);
    await form.getByLabel("Type the user's email to confirm").fill('someone.else@example.com');
    expect(await button.isDisabled()).toBe(true);
    await form.getByLabel("Type the user's email to confirm").fill(target.email);
    await button.click();
    await visible(page.getByRole('heading', { name: 'Erased' }));
    await visible(page.getByText(`erased+${target.id}@invalid`));
    await shot(page, '1280-user-erased');
    await context.close();
  });

  it('deletes my own account with my password, and signs me out', async () => {
    const user = await registerUser(e2e.baseUrl, 'leaving.user@example.com', 'Lea Leaving');
    const { context, page } = await e2e.newPage(390);
    await page.goto('/admin/');
    await signIn(page, user.email, user.password);
    await page.getByRole('link', { name: 'My account' }).click();
    const form = page.getByRole('form', { name: 'Delete my account' });
    await visible(form);
    await form.getByLabel('Current password').fill('not my password at all');
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await visible(form.locator('.field-error'));
    await form.getByLabel('Current password').fill(user.password);
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await visible(page.getByText('Your account was deactivated'));
    await shot(page, '390-account-deleted');
    expect(e2e.pageProblems).toEqual([]);
    await context.close();
  });
});

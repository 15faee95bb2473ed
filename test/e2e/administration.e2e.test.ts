import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type E2E, registerUser, signInByApi, startE2E } from './environment.ts';
import { shot, signIn, visible } from './page-helpers.ts';

// Bulk actions on the Users page and impersonation from a user's page, against the real server.
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('bulk actions and impersonation in the console', () => {
  it('deactivates the selected users, and shows on each row that the admin’s own row was refused', async () => {
    const ada = await registerUser(e2e.baseUrl, 'ada.bulk@example.com', 'Ada Bulk');
    const grace = await registerUser(e2e.baseUrl, 'grace.bulk@example.com', 'Grace Bulk');
    const { context, page } = await e2e.newPage(1280);
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Users' }).click();
    await visible(page.getByRole('heading', { name: 'Users', level: 1 }));
    await visible(page.getByRole('link', { name: 'Grace Bulk' }));

    await page.getByLabel('Select Ada Bulk').check();
    await page.getByLabel('Select Grace Bulk').check();
    await page.getByLabel(`Select ${ADMIN.email}`).check();
    const bar = page.getByRole('form', { name: 'Bulk actions' });
    await visible(bar.getByText('3 selected'));
    await bar.getByLabel('Action').selectOption('deactivate');
    await bar.getByLabel('Reason').fill('e2e offboarding');
    await bar.getByRole('button', { name: 'Apply to 3' }).click();

    await visible(bar.getByText('2 done, 1 refused'));
    const rowOf = (name: string) => page.getByRole('row').filter({ hasText: name });
    await visible(rowOf('Ada Bulk').getByText('Done'));
    await visible(rowOf('Grace Bulk').getByText('Done'));
    await visible(rowOf(ADMIN.email).getByText('You cannot deactivate your own account'));
    await visible(rowOf('Ada Bulk').getByText('Deactivated'));
    await shot(page, '1280-users-bulk');

    // The server agrees: the two are deactivated, the admin is not.
    const headers = { authorization: `Bearer ${await signInByApi(e2e.baseUrl, ADMIN.email, ADMIN.password)}` };
    const inactive = await fetch(`${e2e.baseUrl}/api/v1/users?isActive=false&limit=100`, { headers });
    const inactiveIds = ((await inactive.json()) as { items: { id: string }[] }).items.map((item) => item.id);
    expect(inactiveIds.sort()).toEqual([ada.id, grace.id].sort());
    await context.close();
  });

  it('impersonates a user with a reason, shows the banner, and stops back into the admin’s session', async () => {
    const linus = await registerUser(e2e.baseUrl, 'linus.imp@example.com', 'Linus Imp');
    const { context, page } = await e2e.newPage(1280);
    await signIn(page, ADMIN.email, ADMIN.password);
    await visible(page.getByRole('link', { name: 'Users' }));
    await page.goto(`/admin/users/${linus.id}`);
    await visible(page.getByRole('heading', { name: 'Linus Imp', level: 1 }));

    const card = page.getByRole('region', { name: 'Impersonate' });
    await card.getByLabel('Why impersonate').fill('e2e: checking what Linus sees');
    await card.getByRole('button', { name: 'Impersonate' }).click();

    const banner = page.getByRole('status').filter({ hasText: 'Impersonating Linus Imp' });
    await visible(banner);
    // The console is now Linus's: his name at the top, no admin screens.
    await visible(page.locator('.who').getByText('Linus Imp'));
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await shot(page, '1280-impersonating');

    await banner.getByRole('button', { name: 'Stop impersonating' }).click();
    await visible(page.getByRole('heading', { name: 'Linus Imp', level: 1 }));
    await visible(page.getByRole('link', { name: 'Users' }));
    expect(await page.getByText('Impersonating Linus Imp').count()).toBe(0);
    await visible(page.locator('.who').getByText(ADMIN.email));

    // The impersonation session ended on the server, and was recorded with its reason.
    const headers = { authorization: `Bearer ${await signInByApi(e2e.baseUrl, ADMIN.email, ADMIN.password)}` };
    const events = await fetch(`${e2e.baseUrl}/api/v1/audit-events?targetId=${linus.id}&action=user.impersonation_started`, { headers });
    const audit = (await events.json()) as { items: { changes: { reason: { to: string } } }[] };
    expect(audit.items.map((item) => item.changes.reason.to)).toEqual(['e2e: checking what Linus sees']);
    const live = await fetch(`${e2e.baseUrl}/api/v1/users/me/sessions`, { headers: { authorization: `Bearer ${linus.accessToken}` } });
    const sessions = ((await live.json()) as { items: { impersonatorId: string | null }[] }).items;
    expect(sessions.filter((session) => session.impersonatorId !== null)).toEqual([]);
    expect(e2e.pageProblems).toEqual([]);
    await context.close();
  });
});

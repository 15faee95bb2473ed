import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type E2E, registerUser, signInByApi, startE2E } from './environment.ts';
import { eachScreenFits, horizontalOverflow, shot, signIn, visible } from './page-helpers.ts';

let e2e: E2E;
let target: Awaited<ReturnType<typeof registerUser>>;
let plain: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  e2e = await startE2E();
  target = await registerUser(e2e.baseUrl, 'zoe.target@example.com', 'Zoe Target');
  plain = await registerUser(e2e.baseUrl, 'paul.plain@example.com', 'Paul Plain');
  // Enough users for a second page of the list (20 a page).
  for (let i = 1; i <= 20; i++) await registerUser(e2e.baseUrl, `filler${i}@example.com`, `Filler ${String(i).padStart(2, '0')}`);
});
afterAll(async () => {
  await e2e?.close();
});

describe('admin console', () => {
  it('lets an admin find a user, edit, assign a role, deactivate with a reason and see it in the audit log (1280 px)', async () => {
    const { context, page } = await e2e.newPage(1280);

    await page.goto('/admin/');
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await shot(page, '1280-sign-in');

    // A wrong password is refused with one plain message.
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(page.getByText('Wrong email or password.'));

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // The dashboard is the first page of a users:read holder.
    await visible(page.getByRole('heading', { name: 'Dashboard', level: 1 }));
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Users' }));
    await visible(page.getByText('23 users'));
    await shot(page, '1280-users');

    // Cursor paging: 23 users, 20 a page.
    await page.getByRole('button', { name: 'Next →' }).click();
    await visible(page.getByText('Page 2'));
    await visible(page.getByRole('link', { name: 'Zoe Target' }));
    expect(await page.locator('tbody tr').count()).toBe(3);
    await page.getByRole('button', { name: '← Previous' }).click();
    await visible(page.getByRole('link', { name: 'Filler 20' }));

    // Filters: status and role.
    await page.getByLabel('Role').selectOption('admin');
    await visible(page.getByText('1 user', { exact: true }));
    await page.getByLabel('Role').selectOption('');
    await page.getByLabel('Status').selectOption('inactive');
    await visible(page.getByText('No users match these filters.'));
    await page.getByLabel('Status').selectOption('all');

    // Find a user by search.
    await page.getByLabel('Search').fill('zoe tar');
    await visible(page.getByText('1 user', { exact: true }));
    await shot(page, '1280-users-search');
    await page.getByRole('link', { name: 'Zoe Target' }).click();
    await visible(page.getByRole('heading', { name: 'Zoe Target', level: 1 }));
    await shot(page, '1280-user-detail');

    // A field error from the server appears next to its field.
    await page.getByLabel('Phone number').fill('12345');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText(/E\.164/));
    const phoneInvalid = await page.getByLabel('Phone number').getAttribute('aria-invalid');
    expect(phoneInvalid).toBe('true');
    await shot(page, '1280-user-field-error');
    await page.getByRole('button', { name: 'Discard changes' }).first().click();

    // Edit the name.
    await page.getByLabel('Full name').fill('Zoe Renamed');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('Saved (version 2)'));
    await visible(page.getByRole('heading', { name: 'Zoe Renamed', level: 1 }));

    // Someone else changes the user meanwhile: saving the stale form is a conflict, shown as such.
    const adminToken = await signInByApi(e2e.baseUrl, ADMIN.email, ADMIN.password);
    const other = await fetch(`${e2e.baseUrl}/api/v1/users/${target.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ bio: 'Changed elsewhere' }),
    });
    expect(other.status).toBe(200);
    await page.getByLabel('Locale').fill('en-GB');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByText('Conflict'));
    await visible(page.getByRole('button', { name: 'Load the current version' }));
    await shot(page, '1280-user-conflict');
    await page.getByRole('button', { name: 'Load the current version' }).click();
    await visible(page.getByText('Changed elsewhere'));
    expect(await page.getByRole('alert').filter({ hasText: 'Conflict' }).count()).toBe(0);

    // A new role in the roles editor, then assigned to the user.
    await page.getByRole('link', { name: 'Roles' }).click();
    await visible(page.getByRole('heading', { name: 'Roles and permissions' }));
    const newRole = page.getByRole('form', { name: 'New role' });
    await newRole.getByLabel('Name').fill('support');
    await newRole.getByLabel('Description').fill('Helps users');
    await newRole.getByRole('checkbox', { name: /^users:read\b/ }).check();
    await newRole.getByRole('button', { name: 'Create role' }).click();
    await visible(page.getByRole('heading', { name: 'support', level: 2 }));
    await shot(page, '1280-roles');

    await page.goBack();
    await visible(page.getByRole('heading', { name: 'Zoe Renamed', level: 1 }));
    await page.getByRole('checkbox', { name: /^support\b/ }).check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await visible(page.getByText('Roles saved'));

    // Deactivate with a reason.
    await page.getByLabel('Reason').fill('Left the company');
    await page.getByRole('button', { name: 'Deactivate user' }).click();
    await visible(page.getByRole('heading', { name: 'Deactivated', level: 2 }));
    await visible(page.getByRole('button', { name: 'Reactivate user' }));
    await shot(page, '1280-user-deactivated');

    // The event is in the audit log, with the reason.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await visible(page.getByRole('heading', { name: 'Audit log' }));
    await page.getByLabel('Action').fill('user.deactivated');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.locator('tbody tr').filter({ hasText: 'user.deactivated' });
    await visible(row);
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Left the company');
    await shot(page, '1280-audit');

    // The other changes are there too.
    await page.getByLabel('Action').fill('');
    // The target is picked by name or address (the audit log's person picker).
    await page.getByLabel('Target').fill('zoe.target');
    await page.getByRole('button', { name: /zoe\.target@example\.com/ }).click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    for (const action of ['user.updated', 'user.roles_set', 'user.deactivated']) {
      await visible(page.locator('tbody tr').filter({ hasText: action }));
    }

    await page.getByRole('link', { name: 'My account' }).click();
    await visible(page.getByRole('heading', { name: 'My account' }));
    await visible(page.getByText('This session'));
    await shot(page, '1280-account');

    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('is usable at 390 px wide', async () => {
    const { context, page } = await e2e.newPage(390, 844);
    await signIn(page, ADMIN.email, ADMIN.password);
    await visible(page.getByRole('heading', { name: 'Dashboard', level: 1 }));
    await eachScreenFits(page, [
      ['/admin/users', 'Users', '390-users'],
      [`/admin/users/${target.id}`, 'Zoe', '390-user-detail'],
      ['/admin/roles', 'Roles and permissions', '390-roles'],
      ['/admin/audit', 'Audit log', '390-audit'],
      ['/admin/account', 'My account', '390-account'],
    ]);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await shot(page, '390-sign-in');
    await context.close();
  });

  it('shows a plain user only their own account, signed in with the keyboard alone', async () => {
    const { context, page } = await e2e.newPage(1280);
    await page.goto('/admin/');
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    // Keyboard only: Tab to the email field, type, Tab, type, Enter.
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('name')).toBe('email');
    await page.keyboard.type(plain.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(plain.password);
    await page.keyboard.press('Enter');

    await visible(page.getByRole('heading', { name: 'My account' }));
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['My account']);
    await visible(page.getByRole('form', { name: 'Preferences' }));
    await visible(page.getByRole('form', { name: 'Settings' }));
    await shot(page, '1280-plain-user-account');

    // Preferences save for the user themselves.
    await page.getByRole('form', { name: 'Preferences' }).getByLabel('Theme').selectOption('dark');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await visible(page.getByRole('form', { name: 'Preferences' }).getByText('Saved'));

    // Admin screens reached by address say no, and show no data.
    for (const path of ['/admin/users', `/admin/users/${target.id}`, '/admin/roles', '/admin/audit']) {
      await page.goto(path);
      await visible(page.getByRole('heading', { name: 'Not available' }));
      expect(await page.locator('table').count()).toBe(0);
    }
    await shot(page, '1280-plain-user-not-available');
    await context.close();
  });

  it('ran without CSP violations or uncaught errors in the pages', () => {
    expect(e2e.pageProblems).toEqual([]);
  });
});

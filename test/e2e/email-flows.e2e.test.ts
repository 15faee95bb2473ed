import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkToken, type Mailbox, startMailbox } from '../support/mailbox.ts';
import { ADMIN, type E2E, registerUser, signInByApi, startE2E } from './environment.ts';
import { eachScreenFits, shot, signIn, visible } from './page-helpers.ts';

// The console's mailed-link flows against the real server, which mails over SMTP to a mailbox in this process.
// Sign-in needs a verified address here (REQUIRE_EMAIL_VERIFICATION), so the not-verified answer is on the way too.
let e2e: E2E;
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  e2e = await startE2E({ env: { SMTP_URL: mailbox.url, REQUIRE_EMAIL_VERIFICATION: 'true' } });
});
afterAll(async () => {
  await e2e?.close();
  await mailbox?.stop();
});

const VERIFY = '/admin/verify-email';
const RESET = '/admin/reset-password';
const CONFIRM_CHANGE = '/admin/confirm-email-change';

/** The `nth` (1-based) link to `path` mailed to `address`, as the mail has it, once it has arrived. */
async function mailedLink(address: string, path: string, nth = 1): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const links = mailbox
      .to(address)
      .flatMap((mail) => mail.text.match(/https?:\/\/\S+/g) ?? [])
      .filter((url) => new URL(url).pathname === path);
    const link = links[nth - 1];
    if (link) {
      // The link leads to this server's console: PUBLIC_URL is where the browser opens it.
      expect(new URL(link).origin).toBe(e2e.baseUrl);
      return link;
    }
    if (Date.now() > deadline) throw new Error(`no link ${nth} to ${path} in the mail to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let adminToken: Promise<string> | undefined;

/** A user's record as an administrator reads it through the API (one sign-in for the file: each costs a hash). */
async function userById(id: string) {
  adminToken ??= signInByApi(e2e.baseUrl, ADMIN.email, ADMIN.password);
  const res = await fetch(`${e2e.baseUrl}/api/v1/users/${id}`, { headers: { authorization: `Bearer ${await adminToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { email: string; emailVerifiedAt: string | null };
}

/** Proves a registered address through the API, with the token of the registration mail. */
async function verifyByApi(email: string) {
  const [registration] = await mailbox.waitFor(email);
  if (!registration) throw new Error(`no registration mail to ${email}`);
  const res = await fetch(`${e2e.baseUrl}/api/v1/auth/verify-email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: linkToken(registration, VERIFY) }),
  });
  expect(res.status).toBe(200);
}

describe('mailed links in the admin console', () => {
  it('forgot password → mail → reset page → signs in with the new password; the used link is refused', async () => {
    const rita = await registerUser(e2e.baseUrl, 'rita.reset@example.com', 'Rita Reset');
    await verifyByApi(rita.email);
    const { context, page } = await e2e.newPage(1280);

    await page.goto('/admin/');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await visible(page.getByRole('heading', { name: 'Forgot your password?' }));
    await shot(page, '1280-forgot-password');

    // The server's field error shows next to the field.
    await page.getByLabel('Email').fill('not an address');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await visible(page.locator('.field-error'));
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Email').fill(rita.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const sent = page.getByRole('status').filter({ hasText: 'Check your inbox' });
    await visible(sent);
    const knownAnswer = await sent.textContent();
    await shot(page, '1280-forgot-password-sent');

    // An address without an account gets the very same answer.
    const unknown = await e2e.newPage(1280);
    await unknown.page.goto('/admin/forgot-password');
    await unknown.page.getByLabel('Email').fill('nobody.here@example.com');
    await unknown.page.getByRole('button', { name: 'Send reset link' }).click();
    const unknownSent = unknown.page.getByRole('status').filter({ hasText: 'Check your inbox' });
    await visible(unknownSent);
    expect(await unknownSent.textContent()).toBe(knownAnswer);
    await unknown.context.close();

    const link = await mailedLink(rita.email, RESET);
    await page.goto(link);
    await visible(page.getByRole('heading', { name: 'Set a new password' }));
    await shot(page, '1280-reset-password');

    // Too short: the API's rule, shown at the field; two different entries: caught before sending.
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the new password').fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await visible(page.getByText('must be at least 12 characters'));
    expect(await page.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await shot(page, '1280-reset-password-field-error');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('Repeat the new password').fill('a brand new passphrase!');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await visible(page.getByText('does not match the new password'));

    await page.getByLabel('Repeat the new password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await visible(page.getByRole('status').filter({ hasText: 'Your password was changed' }));
    await shot(page, '1280-sign-in-after-reset');

    // The old password is gone; the new one signs in.
    await page.getByLabel('Email').fill(rita.email);
    await page.getByLabel('Password').fill(rita.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(page.getByText('Wrong email or password.'));
    await page.getByLabel('Password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'My account' }));

    // The link was single-use.
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('yet another passphrase');
    await page.getByLabel('Repeat the new password').fill('yet another passphrase');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await visible(page.getByText('This link no longer works'));
    await visible(page.getByRole('link', { name: 'Ask for a new link' }));
    await shot(page, '1280-reset-password-invalid-link');
    await context.close();
  });

  it('verifies an address from the registration mail; sign-in says when it is not verified yet', async () => {
    const vera = await registerUser(e2e.baseUrl, 'vera.verify@example.com', 'Vera Verify');
    const { context, page } = await e2e.newPage(1280);

    await signIn(page, vera.email, vera.password);
    await visible(page.getByText('Confirm your email address first'));
    await visible(page.getByRole('button', { name: 'Send the link again' }));
    await shot(page, '1280-sign-in-email-not-verified');

    await page.goto(await mailedLink(vera.email, VERIFY));
    await visible(page.getByText('Email address verified'));
    await visible(page.getByText(`${vera.email} is confirmed`));
    // The used token does not stay in the address bar.
    expect(new URL(page.url()).search).toBe('');
    await shot(page, '1280-verify-email');
    expect((await userById(vera.id)).emailVerifiedAt).not.toBeNull();

    // Now the sign-in goes through, and My account shows the address as verified.
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(vera.email);
    await page.getByLabel('Password').fill(vera.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'My account' }));
    const emailCard = page.getByRole('region', { name: 'Email address' });
    await visible(emailCard.getByText('Verified', { exact: true }));
    await visible(emailCard.getByText(/verified .*\d/));
    await context.close();
  });

  it('sends the verification link again from sign-in: the older link stops working, the new one verifies', async () => {
    const walt = await registerUser(e2e.baseUrl, 'walt.again@example.com', 'Walt Again');
    const registrationLink = await mailedLink(walt.email, VERIFY);
    const { context, page } = await e2e.newPage(1280);

    await signIn(page, walt.email, walt.password);
    await page.getByRole('button', { name: 'Send the link again' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Check your inbox' }));
    const newLink = await mailedLink(walt.email, VERIFY, 2);

    await page.goto(registrationLink);
    await visible(page.getByText('This link no longer works'));
    await visible(page.getByRole('form', { name: 'Ask for a new verification link' }));
    await shot(page, '1280-verify-email-invalid-link');
    expect((await userById(walt.id)).emailVerifiedAt).toBeNull();

    await page.goto(newLink);
    await visible(page.getByText('Email address verified'));
    expect((await userById(walt.id)).emailVerifiedAt).not.toBeNull();
    await context.close();
  });

  it('changes the address from My account: field errors, the link to the new address, the new address shown', async () => {
    const carl = await registerUser(e2e.baseUrl, 'carl.change@example.com', 'Carl Change');
    await verifyByApi(carl.email);
    const { context, page } = await e2e.newPage(1280);
    await signIn(page, carl.email, carl.password);
    await visible(page.getByRole('heading', { name: 'My account' }));
    const form = page.getByRole('form', { name: 'Change email' });

    // Taken (409) and a wrong password (400 naming currentPassword), each at its field.
    await form.getByLabel('New email').fill(ADMIN.email);
    await form.getByLabel('Current password').fill(carl.password);
    await form.getByRole('button', { name: 'Send confirmation link' }).click();
    await visible(form.getByText('is already used by another account'));
    await form.getByLabel('New email').fill('carl.new@example.com');
    await form.getByLabel('Current password').fill('not my password at all');
    await form.getByRole('button', { name: 'Send confirmation link' }).click();
    await visible(form.getByText('is not your current password'));
    expect(await form.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    await shot(page, '1280-account-email-change-error');

    await form.getByLabel('Current password').fill(carl.password);
    await form.getByRole('button', { name: 'Send confirmation link' }).click();
    await visible(form.getByText('We mailed a link to carl.new@example.com'));
    await shot(page, '1280-account-email-change-sent');

    await page.goto(await mailedLink('carl.new@example.com', CONFIRM_CHANGE));
    await visible(page.getByText('Email address changed'));
    await visible(page.getByText('carl.new@example.com', { exact: true }));
    await shot(page, '1280-confirm-email-change');
    expect(await userById(carl.id)).toMatchObject({ email: 'carl.new@example.com', emailVerifiedAt: expect.any(String) });

    await page.getByRole('link', { name: 'Continue to My account' }).click();
    await visible(page.getByRole('region', { name: 'Email address' }).getByText('carl.new@example.com'));
    await context.close();
  });

  it('shows in the users table and user detail whether each address is verified', async () => {
    const una = await registerUser(e2e.baseUrl, 'una.unverified@example.com', 'Una Unverified');
    const { context, page } = await e2e.newPage(1280);
    await signIn(page, ADMIN.email, ADMIN.password);
    await visible(page.getByRole('heading', { name: 'Dashboard', level: 1 }));
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Users' }));
    const row = (name: string) => page.locator('tbody tr').filter({ hasText: name });
    await visible(row('Una Unverified').getByText('Not verified'));
    // The bootstrap administrator's address counts as proven.
    await visible(row(ADMIN.email).getByText('Verified', { exact: true }));
    await shot(page, '1280-users-email-verified');

    await page.goto(`/admin/users/${una.id}`);
    await visible(page.getByRole('heading', { name: 'Una Unverified', level: 1 }));
    await visible(page.locator('.facts').getByText('Not verified'));
    await context.close();
  });

  it('fits the pages mailed links lead to at 390 px', async () => {
    const { context, page } = await e2e.newPage(390, 844);
    await eachScreenFits(page, [
      ['/admin/forgot-password', 'Forgot your password?', '390-forgot-password'],
      ['/admin/reset-password?token=x', 'Set a new password', '390-reset-password'],
      ['/admin/verify-email?token=x', 'Verify your email address', '390-verify-email-invalid-link'],
      ['/admin/confirm-email-change?token=x', 'Confirm your new email address', '390-confirm-email-change-invalid-link'],
    ]);
    await context.close();
  });

  it('ran without CSP violations or uncaught errors in the pages', () => {
    expect(e2e.pageProblems).toEqual([]);
  });
});

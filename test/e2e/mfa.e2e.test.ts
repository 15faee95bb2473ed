import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awayFromStepEdge, currentStep, totpCode } from '../support/totp.ts';
import { type E2E, registerUser, startE2E } from './environment.ts';
import { shot, signIn, visible } from './page-helpers.ts';

// Two-factor authentication in the console, against the real server: set up an authenticator app reading the
// secret off the page and computing its codes here as a phone would; sign out; the two-step sign-in with a code
// and with a recovery code; the "confirm it's you" prompt on a stale session.
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('two-factor authentication in the console', () => {
  it('enable TOTP, sign out, sign in in two steps, sign in with a recovery code, step up when the session is old', async () => {
    const tess = await registerUser(e2e.baseUrl, 'tess.totp@example.com', 'Tess Totp');
    const { context, page } = await e2e.newPage(1280);
    await signIn(page, tess.email, tess.password);
    await visible(page.getByRole('heading', { name: 'My account', level: 1 }));

    const security = page.getByRole('region', { name: 'Security' });
    await security.getByRole('button', { name: 'Set up authenticator app' }).click();
    await visible(security.getByRole('img', { name: 'QR code for your authenticator app' }));
    const secret = (await security.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot(page, '1280-mfa-setup');

    // The previous step's code: the current and the next are left for the sign-in below.
    await awayFromStepEdge();
    await security.getByLabel('Code from the app').fill(totpCode(secret, currentStep() - 1));
    await security.getByRole('button', { name: 'Turn on' }).click();
    const codesList = security.getByRole('list', { name: 'Recovery codes' });
    await visible(codesList);
    const recoveryCodes = (await codesList.getByRole('listitem').allTextContents()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    await visible(security.getByRole('button', { name: 'Download codes' }));
    await shot(page, '1280-mfa-recovery-codes');
    await security.getByRole('button', { name: 'I have saved them' }).click();
    await visible(security.getByText('Two-factor on'));
    expect(await security.getByTestId('recovery-codes-left').textContent()).toBe('10');

    // Sign out; signing in now takes the second step.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signIn(page, tess.email, tess.password);
    await visible(page.getByRole('heading', { name: 'Two-factor authentication' }));
    await shot(page, '1280-mfa-second-step');
    await page.getByLabel('Code', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByText('That code did not work'));
    await awayFromStepEdge();
    await page.getByLabel('Code', { exact: true }).fill(totpCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByRole('heading', { name: 'My account', level: 1 }));

    // With a recovery code instead.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signIn(page, tess.email, tess.password);
    await visible(page.getByRole('heading', { name: 'Two-factor authentication' }));
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByRole('heading', { name: 'My account', level: 1 }));
    await visible(page.getByRole('region', { name: 'Security' }).getByTestId('recovery-codes-left'));
    expect(await page.getByRole('region', { name: 'Security' }).getByTestId('recovery-codes-left').textContent()).toBe('9');

    // The session proved its factor an hour ago: new recovery codes need "confirm it's you", then the call is retried.
    await e2e.sql(`UPDATE sessions SET authenticated_at = now() - interval '1 hour' WHERE user_id = '${tess.id}'`);
    await page.getByRole('region', { name: 'Security' }).getByRole('button', { name: 'New recovery codes' }).click();
    const prompt = page.getByRole('dialog', { name: "Confirm it's you" });
    await visible(prompt);
    await shot(page, '1280-mfa-confirm-identity');
    await prompt.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await prompt.getByLabel('Recovery code').fill(recoveryCodes[1] ?? '');
    await prompt.getByRole('button', { name: 'Confirm' }).click();
    const fresh = page.getByRole('list', { name: 'Recovery codes' });
    await visible(fresh);
    const freshCodes = (await fresh.getByRole('listitem').allTextContents()).map((code) => code.trim());
    expect(freshCodes).toHaveLength(10);
    expect(freshCodes.some((code) => recoveryCodes.includes(code))).toBe(false);

    expect(e2e.pageProblems).toEqual([]);
    await context.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, registerUser, startE2E } from './environment.ts';
import { shot, signIn, visible } from './page-helpers.ts';

// Passkeys with the browser's own WebAuthn stack: a CDP virtual authenticator (CTAP2, internal transport, resident
// keys, user verification) stands in for the platform authenticator. The pages are served at http://localhost:PORT
// because an IP address cannot be an RP ID.
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ host: 'localhost' });
});
afterAll(async () => {
  await e2e?.close();
});

describe('passkeys in the console', () => {
  it('register a passkey from Security, sign out, sign in with it by a click, remove it', async () => {
    const pat = await registerUser(e2e.baseUrl, 'pat.passkey@example.com', 'Pat Passkey');
    const { context, page } = await e2e.newPage(1280);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });

    await signIn(page, pat.email, pat.password);
    await visible(page.getByRole('heading', { name: 'My account', level: 1 }));
    const passkeys = page.getByRole('region', { name: 'Passkeys' });
    await passkeys.getByLabel('Passkey name').fill('This laptop');
    await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
    await visible(passkeys.getByText('This laptop'));
    await shot(page, '1280-passkeys');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Sign in' }));
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await visible(page.getByRole('heading', { name: 'My account', level: 1 }));
    await visible(passkeys.getByText(/last used/));

    await passkeys.getByRole('button', { name: 'Remove This laptop' }).click();
    await visible(passkeys.getByText('No passkeys yet'));
    expect(e2e.pageProblems).toEqual([]);
    await context.close();
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type E2E, registerUser, startE2E } from './environment.ts';
import { shot, signIn, visible } from './page-helpers.ts';

// The Export buttons save the person's data as a JSON file: a user's own from My account, anyone's from their page.

let e2e: E2E;
let ella: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  e2e = await startE2E();
  ella = await registerUser(e2e.baseUrl, 'ella.export@example.com', 'Ella Export');
});
afterAll(async () => {
  await e2e?.close();
});

/** Clicks the Export card's button and reads the file the browser saved. */
async function exportFile(page: Awaited<ReturnType<E2E['newPage']>>['page']) {
  const card = page.getByRole('region', { name: 'Export data' });
  await visible(card);
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Export' }).click()]);
  await visible(card.getByText('The export was downloaded.'));
  const path = await download.path();
  return { name: download.suggestedFilename(), document: JSON.parse(await readFile(path, 'utf8')) };
}

describe('export in the console', () => {
  it('downloads your own data from My account', async () => {
    const { context, page } = await e2e.newPage(1280);
    // A user without users:read lands on My account.
    await signIn(page, ella.email, ella.password);
    await visible(page.getByRole('heading', { name: 'My account' }));
    const { name, document } = await exportFile(page);
    expect(name).toMatch(new RegExp(`^user-export-${ella.id}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    expect(document.user).toMatchObject({ id: ella.id, email: ella.email, fullName: 'Ella Export' });
    expect(document.auditEvents[0]).toMatchObject({ action: 'user.exported', actorId: ella.id, targetId: ella.id });
    await shot(page, '1280-account-export');
    await context.close();
  });

  it("downloads a user's data from their page for an admin", async () => {
    const { context, page } = await e2e.newPage(1280);
    await signIn(page, ADMIN.email, ADMIN.password);
    // Signed in: an admin lands on the dashboard.
    await visible(page.getByRole('heading', { name: 'Dashboard', level: 1 }));
    await page.goto(`/admin/users/${ella.id}`);
    await visible(page.getByRole('heading', { name: 'Ella Export', level: 1 }));
    const { name, document } = await exportFile(page);
    expect(name).toMatch(new RegExp(`^user-export-${ella.id}-`));
    expect(document.user.email).toBe(ella.email);
    expect(document.auditEvents[0]).toMatchObject({ action: 'user.exported', targetId: ella.id });
    expect(document.auditEvents[0].actorId).not.toBe(ella.id);
    await shot(page, '1280-user-export');
    await context.close();
  });
});

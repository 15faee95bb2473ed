import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type E2E, registerUser, signInByApi, startE2E } from './environment.ts';
import { horizontalOverflow, shot, signIn, visible } from './page-helpers.ts';

let e2e: E2E;
let dana: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  e2e = await startE2E();
  // Today: 3 sign-ups, 2 sign-ins by Dana, 1 failed; earlier days come in as audit events with chosen dates
  // (the counters are kept by a trigger on every audit_events insert).
  dana = await registerUser(e2e.baseUrl, 'dana.dashboard@example.com', 'Dana Dashboard');
  await registerUser(e2e.baseUrl, 'eli.early@example.com', 'Eli Early');
  await registerUser(e2e.baseUrl, 'fay.final@example.com', 'Fay Final');
  await signInByApi(e2e.baseUrl, dana.email, dana.password);
  await signInByApi(e2e.baseUrl, dana.email, dana.password);
  const wrong = await fetch(`${e2e.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: dana.email, password: 'not the right passphrase' }),
  });
  expect(wrong.status).toBe(401);
  await e2e.sql(`
    INSERT INTO audit_events (id, at, action, target_type, target_id)
    SELECT gen_random_uuid(), now() - make_interval(days => d), a, 'user', gen_random_uuid()::text
      FROM generate_series(1, 28) AS d,
           LATERAL (SELECT unnest(ARRAY['auth.login', 'auth.login', 'auth.login_failed', 'auth.register']) AS a) AS actions,
           LATERAL generate_series(1, 1 + d % 4) AS n`);
});
afterAll(async () => {
  await e2e?.close();
});

/** The bars recharts drew in one chart, and how many of them have a height. */
async function barsOf(page: import('playwright-core').Page, metric: string) {
  const chart = page.locator(`figure[data-metric="${metric}"]`);
  await visible(chart.locator('.recharts-bar-rectangle path'));
  const heights = await chart
    .locator('.recharts-bar-rectangle path')
    // SVG geometry: the tests' tsconfig has no DOM library, so the one method used is named here.
    .evaluateAll((paths) => paths.map((path) => (path as unknown as { getBBox(): { height: number } }).getBBox().height));
  return { bars: heights.length, drawn: heights.filter((height) => height > 0).length };
}

describe('dashboard', () => {
  it('is the first page after sign-in, with totals, adoption and three charts drawn from data (1280 px and 390 px)', async () => {
    const { context, page } = await e2e.newPage(1280);
    await signIn(page, ADMIN.email, ADMIN.password);
    await visible(page.getByRole('heading', { name: 'Dashboard', level: 1 }));
    expect(new URL(page.url()).pathname).toBe('/admin/dashboard');

    // 1 bootstrap admin + 3 registered; the admin's address counts as proven (1 of 4 = 25 %).
    const totals = page.locator('dl[aria-label="User totals"]');
    await visible(totals);
    const tile = (label: string) => totals.locator('.stat-tile').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
    expect(await tile('Users').locator('.stat-value').textContent()).toBe('4');
    expect(await tile('Active').locator('.stat-value').textContent()).toBe('4');
    expect(await tile('Email verified').textContent()).toContain('25 %');
    expect(await tile('Two-factor on').locator('.stat-value').textContent()).toBe('0');

    for (const metric of ['signIns', 'failedSignIns', 'signUps']) {
      const { drawn } = await barsOf(page, metric);
      // The 28 seeded days and today all have counts in every series.
      expect(drawn, metric).toBeGreaterThanOrEqual(28);
    }
    await page.waitForLoadState('networkidle');
    await shot(page, '1280-dashboard');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.close();

    const small = await e2e.newPage(390, 844);
    await signIn(small.page, ADMIN.email, ADMIN.password);
    await visible(small.page.getByRole('heading', { name: 'Dashboard', level: 1 }));
    for (const metric of ['signIns', 'failedSignIns', 'signUps']) {
      const { drawn } = await barsOf(small.page, metric);
      expect(drawn, metric).toBeGreaterThanOrEqual(28);
    }
    await small.page.waitForLoadState('networkidle');
    expect(await horizontalOverflow(small.page), 'the dashboard overflows sideways at 390 px').toBeLessThanOrEqual(0);
    await shot(small.page, '390-dashboard');
    await small.context.close();
    expect(e2e.pageProblems).toEqual([]);
  });

  it('shows people in the audit log and filters by a picked person', async () => {
    const { context, page } = await e2e.newPage(1280);
    await signIn(page, ADMIN.email, ADMIN.password);
    await visible(page.getByRole('heading', { name: 'Dashboard', level: 1 }));
    await page.getByRole('link', { name: 'Audit log' }).click();
    await visible(page.getByRole('heading', { name: 'Audit log', level: 1 }));

    // Dana's sign-ins name her, with her address, linked to her page.
    const danaLink = page.locator('tbody tr').getByRole('link', { name: /Dana Dashboard/ });
    await visible(danaLink);
    expect(await danaLink.first().textContent()).toContain('dana.dashboard@example.com');
    expect(await danaLink.first().getAttribute('href')).toBe(`/admin/users/${dana.id}`);

    // Pick Dana as the actor by typing part of her name.
    await page.getByLabel('Actor').fill('dana');
    await page.getByRole('button', { name: /Dana Dashboard <dana\.dashboard@example\.com>/ }).click();
    await visible(page.getByText('Dana Dashboard <dana.dashboard@example.com>'));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction("new URLSearchParams(window.location.search).has('actorId')");
    expect(new URL(page.url()).searchParams.get('actorId')).toBe(dana.id);
    await page.waitForLoadState('networkidle');
    const rows = page.locator('tbody tr');
    await visible(rows.filter({ hasText: 'auth.login' }));
    // Her registration and two sign-ins; the failed one was not hers to make (no actor), so it is not listed.
    const actions = await rows.locator('td:nth-child(2)').allTextContents();
    expect(actions.sort()).toEqual(['auth.login', 'auth.login', 'auth.register']);
    for (const row of await rows.all()) expect(await row.locator('td:nth-child(3)').textContent()).toContain('Dana Dashboard');
    await shot(page, '1280-audit-people');

    // Clearing the pick lists everyone again.
    await page.getByRole('button', { name: 'Clear actor' }).click();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await visible(rows.filter({ hasText: 'Eli Early' }));
    await context.close();
  });
});

import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { SCREENSHOTS } from './environment.ts';

/** A full-page screenshot under test/e2e/screenshots/, named `<width>-<screen>`. */
export const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

export const visible = (locator: Locator) => locator.first().waitFor({ state: 'visible', timeout: 15_000 });

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/admin/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Nothing sticks out sideways: the page is usable at this width without horizontal scrolling. */
export const horizontalOverflow = async (page: Page) =>
  Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));

/** Opens each `[path, level-1 heading, screenshot name]` in turn, checks it fits the page's width, and shoots it. */
export async function eachScreenFits(page: Page, screens: readonly (readonly [string, string, string])[]) {
  for (const [path, heading, name] of screens) {
    await page.goto(path);
    await visible(page.getByRole('heading', { name: heading, level: 1 }));
    await page.waitForLoadState('networkidle');
    expect(await horizontalOverflow(page), `${path} overflows sideways`).toBeLessThanOrEqual(0);
    await shot(page, name);
  }
}

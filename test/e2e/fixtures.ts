import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { test as base, describe, type TestAPI } from 'vitest';
import { CHROMIUM_PATH, HAS_CHROMIUM, launchChromium } from './browser.js';
import { LoginPage } from './pages/login-page.js';
import { PacsPage } from './pages/pacs-page.js';
import { Shell } from './pages/shell.js';
import { type E2ePortal, startE2ePortal } from './portal.js';

/** Where screenshots go: the user guide embeds them. */
export const SCREENSHOT_DIR: string = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../docs/screenshots');

if (!HAS_CHROMIUM) {
  const message = `BROWSER TESTS SKIPPED: ${CHROMIUM_PATH} is missing (apt-get install chromium)`;
  if (process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') throw new Error(message);
  console.warn(`\n*** ${message} ***\n`);
}

/** `describe` that skips (loudly, see above) when Chromium is absent. */
export const describeE2e: typeof describe = describe.skipIf(!HAS_CHROMIUM) as typeof describe;

/** What every browser spec gets. */
export interface E2eFixtures {
  /** A fresh browser context (own cookies and storage) with English as the browser language. */
  context: BrowserContext;
  page: Page;
  login: LoginPage;
  shell: Shell;
  pacs: PacsPage;
  /** Logs in a demo user (`admin`, `uploader`, `monitor`) through the form. */
  logInAs(username: string): Promise<void>;
  /** Saves a PNG of the page as docs/screenshots/<name>.png. */
  screenshot(name: string, page?: Page): Promise<void>;
}

/** Shared by the specs of one file: one Portal and one Chromium. */
export interface E2eFileFixtures {
  portal: E2ePortal;
  browser: Browser;
}

/**
 * The browser-test fixture: a real Portal and Chromium per file, a fresh context and page objects
 * per test.
 *
 * @example
 * test('a wrong password is refused', async ({ login }) => { … });
 */
export const test: TestAPI<E2eFixtures & E2eFileFixtures> = base.extend<{
  $test: E2eFixtures;
  $file: E2eFileFixtures;
}>({
  portal: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies destructured
    async ({}, use) => {
      const portal = await startE2ePortal();
      await use(portal);
      await portal.stop();
    },
    { scope: 'file' },
  ],
  browser: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies destructured
    async ({}, use) => {
      const browser = await launchChromium();
      await use(browser);
      await browser.close();
    },
    { scope: 'file' },
  ],
  context: async ({ browser }, use) => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    await use(context);
    await context.close();
  },
  page: async ({ context }, use) => {
    await use(await context.newPage());
  },
  login: async ({ page, portal }, use) => use(new LoginPage(page, portal.baseUrl)),
  shell: async ({ page }, use) => use(new Shell(page)),
  pacs: async ({ page }, use) => use(new PacsPage(page)),
  logInAs: async ({ login, portal }, use) => use((username) => login.logIn(username, portal.password(username))),
  screenshot: async ({ page }: { page: Page }, use: (value: E2eFixtures['screenshot']) => Promise<void>) => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await use(async (name: string, target: Page = page) => {
      await target.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`) });
    });
  },
});

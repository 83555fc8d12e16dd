import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); playwright-core downloads no browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** True when the browser tests can run here. */
export const HAS_CHROMIUM: boolean = existsSync(CHROMIUM_PATH);

/**
 * Launches headless Chromium with a fresh temporary profile and nothing that talks to the network
 * on its own (sync, component updates, background networking).
 *
 * @example
 * const browser = await launchChromium();
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// Launches Debian's Chromium through playwright-core and saves screenshots.

import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SCREENSHOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'screenshots');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Timeout for each wait on the page, in milliseconds. */
export const UI_TIMEOUT_MS = 10_000;

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Without the background-networking flags Chromium can hang on start-up
    // while it retries connections that the sandbox refuses.
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

/**
 * Opens a page in a fresh context with Spanish (Mexico) as the browser
 * language, so each test starts with no cookies and no stored choices.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'es-MX', ...options });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  return { context, page };
}

export async function saveScreenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Upper bound for one test, so that a hung page fails the run instead of stalling it. */
export const TEST_TIMEOUT_MS = 60_000;

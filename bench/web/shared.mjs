// Helpers shared by the browser benchmarks: Chromium launch, CPU throttling
// and order statistics.

import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// playwright-core is installed for the end-to-end tests only.
const requireFromE2e = createRequire(resolve(REPO, 'e2e', 'package.json'));
const { chromium } = requireFromE2e('playwright-core');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Slowdown factor of Chromium's CPU throttling, as DevTools applies for a low-end phone. */
export const CPU_SLOWDOWN = 4;

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Sets the CPU throttling rate of one page through the DevTools protocol (1 turns it off). */
export async function throttleCpu(context, page, rate) {
  const session = await context.newCDPSession(page);
  await session.send('Emulation.setCPUThrottlingRate', { rate });
  return session;
}

/** The q-quantile of `values` (0 <= q <= 1) by the nearest-rank method. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function median(values) {
  return quantile(values, 0.5);
}

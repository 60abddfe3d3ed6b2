// Field agents' app at `/app/` on a 360 x 740 phone viewport, in headless
// Chromium against the real server.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { AGENT, ORG_NAME, startServer } from './helpers/server.mjs';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Reports whether the page is wider than the viewport, which means something overflows. */
function hasHorizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

describe('field app', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ extraUsers: [AGENT] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('agent login shows Mi día', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, PHONE);
    try {
      await page.goto(`${server.baseUrl}/app/`);
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
      assert.equal(await hasHorizontalOverflow(page), false, 'login screen fits 360 px');
      await saveScreenshot(page, 'field-login-es');

      await fillLogin(page, AGENT.email, AGENT.password);

      await page.getByRole('heading', { name: 'Mi día' }).waitFor();
      const header = page.getByRole('banner');
      assert.match(await header.innerText(), new RegExp(AGENT.name));
      assert.match(await header.innerText(), new RegExp(ORG_NAME));
      await page.getByText('Aún no tienes visitas para hoy').waitFor();

      const logout = page.getByRole('button', { name: 'Cerrar sesión' });
      const box = await logout.boundingBox();
      assert.notEqual(box, null, 'logout button is visible');
      assert.ok(box.height >= 48, `logout button is ${box.height} px tall, expected at least 48 px`);
      assert.equal(await hasHorizontalOverflow(page), false, 'shell fits 360 px');
      await saveScreenshot(page, 'field-my-day');

      await logout.click();
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('manifest describes the installable app', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, PHONE);
    try {
      // Fetched, not opened: Chromium downloads a navigation to a manifest instead of showing it.
      const response = await page.request.get(`${server.baseUrl}/app/manifest.webmanifest`);
      assert.equal(response.status(), 200);
      const manifest = await response.json();
      assert.equal(manifest.name, 'Ronda Campo');
      assert.equal(manifest.start_url, '/app/');
      assert.equal(manifest.scope, '/app/');
      assert.equal(manifest.display, 'standalone');
      const sizes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose}`);
      for (const expected of ['192x192 any', '512x512 any', '512x512 maskable']) {
        assert.ok(sizes.includes(expected), `icon ${expected} in ${sizes.join(', ')}`);
      }
      for (const icon of manifest.icons) {
        const iconResponse = await page.request.get(`${server.baseUrl}${icon.src}`);
        assert.equal(iconResponse.status(), 200, icon.src);
        assert.equal(iconResponse.headers()['content-type'], 'image/png', icon.src);
      }
    } finally {
      await context.close();
    }
  });

  it('shell reloads offline after first visit', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, PHONE);
    try {
      await page.goto(`${server.baseUrl}/app/`);
      await fillLogin(page, AGENT.email, AGENT.password);
      await page.getByRole('heading', { name: 'Mi día' }).waitFor();

      // `ready` resolves once the worker is active, which is after its
      // install step has finished precaching the app shell.
      const scope = await page.evaluate(() =>
        Promise.race([
          navigator.serviceWorker.ready.then((registration) => registration.scope),
          new Promise((resolve) => setTimeout(() => resolve('no active service worker after 15 s'), 15_000)),
        ]),
      );
      assert.equal(scope, `${server.baseUrl}/app/`);

      await context.setOffline(true);
      await page.reload();

      await page.getByRole('heading', { name: 'Mi día' }).waitFor();
      await page.getByText('Sin conexión. Se muestra lo último guardado en este dispositivo.').waitFor();
      assert.match(await page.getByRole('banner').innerText(), new RegExp(AGENT.name));
      await saveScreenshot(page, 'field-offline');

      await context.setOffline(false);
      await page.getByText('Sin conexión. Se muestra lo último guardado en este dispositivo.').waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  it('English switch translates login', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, PHONE);
    try {
      await page.goto(`${server.baseUrl}/app/`);
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();

      await page.getByRole('button', { name: 'English' }).click();

      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByText('App for field agents.').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 1);
      assert.equal(await hasHorizontalOverflow(page), false, 'English login fits 360 px');
      await saveScreenshot(page, 'field-login-en');
    } finally {
      await context.close();
    }
  });
});

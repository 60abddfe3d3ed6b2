// API reference page at `/api-docs/`, rendered from the server's OpenAPI
// document with the bundled Swagger UI.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { startServer } from './helpers/server.mjs';

describe('api docs', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the OpenAPI document offline', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    const foreignRequests = [];
    const origin = new URL(server.baseUrl).origin;
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== origin) foreignRequests.push(request.url());
    });
    try {
      const spec = await page.request.get(`${server.baseUrl}/api/openapi.json`);
      assert.equal(spec.status(), 200);
      const document = await spec.json();
      assert.ok(document.paths['/api/auth/login'], 'spec documents /api/auth/login');

      await page.goto(`${server.baseUrl}/api-docs/`);
      await page.locator('.swagger-ui .info .title').waitFor();
      await page.locator('.opblock-summary-path', { hasText: '/api/auth/login' }).first().waitFor();
      await saveScreenshot(page, 'api-docs');

      assert.deepEqual(foreignRequests, [], 'page loads nothing from other origins');
    } finally {
      await context.close();
    }
  });
});

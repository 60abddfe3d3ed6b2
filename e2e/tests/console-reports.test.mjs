// Custom reports in the console. A supervisor builds a report of contacts by agent and
// channel, saves it and shares it by link. The link opens in a fresh browser context
// without a session and shows only that report; after the supervisor revokes it, the
// same link shows that it no longer works. The builder also exports an unsaved definition,
// and the lenders report's table fits a 1280 px wide window.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, startServer } from './helpers/server.mjs';

const SUPERVISOR = { email: 'sofia@example.mx', name: 'Sofía Méndez', role: 'supervisor', password: 'supervisa-rutas-3' };

const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  'CR-1,Juana Pérez Soto,1500.00,40,Durango,100,Roma Norte,06700,Cuauhtémoc,Ciudad de México,19.4194,-99.1617',
].join('\n');
const MAPPING = [
  'lender_account_id', 'debtor_name', 'overdue_amount', 'days_past_due', 'street', 'exterior_number',
  'colonia', 'postal_code', 'municipality', 'state', 'latitude', 'longitude',
];

async function expectOk(response, what) {
  if (!response.ok()) {
    throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  }
  return response.status() === 204 ? null : response.json();
}

/** Imports one account of `lender`'s `portfolio` and records two phone calls to it as the admin. */
async function seed(baseUrl, { lender: lenderName = 'Financiera Sol', portfolio: portfolioName = 'Diciembre' } = {}) {
  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  try {
    const session = await expectOk(await api.post('/api/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } }), 'login');
    const headers = { 'X-CSRF-Token': session.csrf_token };
    const lender = await expectOk(await api.post('/api/lenders', { headers, data: { name: lenderName } }), 'lender');
    const portfolio = await expectOk(
      await api.post('/api/portfolios', { headers, data: { lender_id: lender.id, name: portfolioName } }),
      'portfolio',
    );
    await expectOk(
      await api.post('/api/imports', {
        headers,
        multipart: {
          file: { name: 'cartera.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') },
          portfolio_id: String(portfolio.id),
          mapping: JSON.stringify(MAPPING),
          dry_run: 'false',
        },
      }),
      'import',
    );
    const accounts = await expectOk(await api.get(`/api/accounts?portfolio_id=${portfolio.id}`), 'accounts');
    const accountId = accounts.accounts[0].id;
    for (const minutesAgo of [30, 20]) {
      await expectOk(
        await api.post(`/api/accounts/${accountId}/contact-attempts`, {
          headers,
          data: { channel: 'phone', occurred_at: Date.now() - minutesAgo * 60_000, result_code: 'MESSAGE_LEFT' },
        }),
        'contact attempt',
      );
    }
  } finally {
    await api.dispose();
  }
}

/** Opens a page that may only reach loopback. */
async function loopbackPage(browser) {
  const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 }, timezoneId: 'America/Mexico_City' });
  await context.addInitScript(() => localStorage.setItem('ronda.map.tiles', 'off'));
  const external = [];
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.fallback();
    external.push(route.request().url());
    return route.abort();
  });
  return { context, page, external };
}

describe('console reports', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ extraUsers: [SUPERVISOR] });
    browser = await launchBrowser();
    await seed(server.baseUrl);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('builds, saves, shares and revokes a report', { timeout: 3 * TEST_TIMEOUT_MS }, async () => {
    const { context, page, external } = await loopbackPage(browser);
    try {
      await page.goto(`${server.baseUrl}/`);
      await fillLogin(page, SUPERVISOR.email, SUPERVISOR.password);
      await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      await page.goto(`${server.baseUrl}/#/reports`);
      await page.getByRole('tab', { name: 'Reporte personalizado' }).click();
      await page.getByRole('heading', { name: 'Reporte personalizado', level: 2 }).waitFor();

      await page.getByRole('checkbox', { name: 'Canal', exact: true }).check();
      await page.getByRole('button', { name: 'Ver reporte' }).click();
      const row = page.locator('.reports__builder tbody tr').first();
      await row.waitFor();
      assert.equal(await row.locator('th').textContent(), ADMIN.name);
      assert.deepEqual(await row.locator('td').allTextContents(), ['Teléfono', '2', '0 %']);
      await saveScreenshot(page, 'console-reports-builder');

      await page.getByLabel('Nombre del reporte').fill('Contactos por canal');
      await page.getByRole('button', { name: 'Guardar', exact: true }).click();
      await page.getByText('Se guardó «Contactos por canal».').waitFor();
      await page.getByLabel('Vence en (días, de 1 a 90)').fill('3');
      await page.getByRole('button', { name: 'Crear enlace' }).click();
      const linkInput = page.getByRole('textbox', { name: 'Enlace' });
      await linkInput.waitFor();
      const link = await linkInput.inputValue();
      assert.match(link, /\/shared\/[A-Za-z0-9_-]{43}$/);

      const anonymous = await loopbackPage(browser);
      try {
        const response = await anonymous.page.goto(link);
        assert.equal(response?.status(), 200);
        await anonymous.page.getByRole('heading', { name: 'Contactos por canal', level: 1 }).waitFor();
        const cells = await anonymous.page.locator('tbody tr').first().locator('th, td').allTextContents();
        assert.deepEqual(cells, [ADMIN.name, 'Teléfono', '2', '0 %']);
        assert.equal(await anonymous.page.getByRole('button').count(), 0, 'no console controls');
        await saveScreenshot(anonymous.page, 'console-reports-shared');

        await page.getByRole('button', { name: 'Revocar' }).click();
        await page.getByRole('cell', { name: 'Vencido o revocado' }).waitFor();

        const gone = await anonymous.page.goto(link);
        assert.equal(gone?.status(), 404);
        await anonymous.page.getByText('Este enlace no existe, expiró o fue revocado.').waitFor();
        assert.deepEqual(anonymous.external, [], 'requests outside loopback from the shared page');
      } finally {
        await anonymous.context.close();
      }
      assert.deepEqual(external, [], 'requests outside loopback');
    } finally {
      await context.close();
    }
  });
});

describe('console reports layout and export', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ extraUsers: [SUPERVISOR] });
    browser = await launchBrowser();
    // Long names, as lenders write them, make the widest table cells.
    await seed(server.baseUrl, {
      lender: 'Financiera Popular del Bajío y Occidente, S.A. de C.V., SOFOM, E.N.R.',
      portfolio: 'Cartera vencida de tarjetas de crédito, segunda asignación de diciembre',
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openReports(page, tab) {
    await page.goto(`${server.baseUrl}/`);
    await fillLogin(page, SUPERVISOR.email, SUPERVISOR.password);
    await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
    await page.goto(`${server.baseUrl}/#/reports`);
    await page.getByRole('tab', { name: tab }).click();
    await page.getByRole('heading', { name: tab, level: 2 }).waitFor();
  }

  it('fits the lenders table in a 1280 px window', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    try {
      await openReports(page, 'Desempeño por otorgante y cartera');
      const table = page.locator('.reports__table').first();
      await table.locator('tbody tr').first().waitFor();
      assert.equal(await table.locator('thead th').count(), 7, 'lender, portfolio and five measures');

      const sizes = await table.evaluate((element) => ({
        table: element.scrollWidth,
        container: element.parentElement.clientWidth,
        page: document.documentElement.scrollWidth,
        window: document.documentElement.clientWidth,
      }));
      assert.ok(sizes.table <= sizes.container, `table ${sizes.table} px in a container of ${sizes.container} px`);
      assert.ok(sizes.page <= sizes.window, `page ${sizes.page} px in a window of ${sizes.window} px`);
      await saveScreenshot(page, 'console-reports-lenders-1280');
    } finally {
      await context.close();
    }
  });

  it('exports the unsaved definition', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    try {
      await openReports(page, 'Reporte personalizado');
      await page.getByRole('checkbox', { name: 'Canal', exact: true }).check();

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar CSV' }).click()]);
      assert.match(download.suggestedFilename(), /^reporte-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = await readDownload(download);
      const lines = text.replace(/^\ufeff/, '').trim().split('\r\n');
      assert.equal(lines[0], 'Gestor,Canal,Intentos,Tasa de contacto');
      assert.equal(lines[1], `${ADMIN.name},Teléfono,2,0.0000`);
      await page.getByText(`Se descargó «${download.suggestedFilename()}».`).waitFor();

      const [workbook] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exportar XLSX' }).click()]);
      assert.match(workbook.suggestedFilename(), /\.xlsx$/);
      const bytes = Buffer.from(await readDownload(workbook, null));
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a ZIP archive');

      await page.getByLabel('Días', { exact: true }).fill('0');
      await page.getByRole('button', { name: 'Exportar XLSX' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent(), /period\.last_days/);
    } finally {
      await context.close();
    }
  });
});

/** Reads a finished download as UTF-8 text, or as bytes when `encoding` is null. */
async function readDownload(download, encoding = 'utf8') {
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const buffer = Buffer.concat(chunks);
  return encoding === null ? buffer : buffer.toString(encoding);
}

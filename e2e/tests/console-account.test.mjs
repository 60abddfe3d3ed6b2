// The account page in the console. A supervisor opens an account from the
// accounts list, records a phone call with a promise, and finds it at the top
// of the contact history. The contact-hours report counts it as a phone
// contact. A viewer opens the same page without the form, and the server
// rejects the viewer's contact.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, startServer } from './helpers/server.mjs';

const SUPERVISOR = { email: 'sofia@example.mx', name: 'Sofía Méndez', role: 'supervisor', password: 'supervisa-rutas-3' };
const VIEWER = { email: 'victor@example.mx', name: 'Víctor Nava', role: 'viewer', password: 'solo-consulta-44' };

const DAY_MS = 24 * 60 * 60_000;

const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  'CR-1,Juana Pérez Soto,1500.00,40,Durango,100,Roma Norte,06700,Cuauhtémoc,Ciudad de México,19.4194,-99.1617',
  'CR-2,Marco Díaz Ruiz,800.00,12,Colima,20,Roma Norte,06700,Cuauhtémoc,Ciudad de México,19.4214,-99.1617',
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

/** Imports the two accounts as the admin and returns the id of CR-1. */
async function seed(baseUrl) {
  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  try {
    const session = await expectOk(await api.post('/api/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } }), 'login');
    const headers = { 'X-CSRF-Token': session.csrf_token };
    const lender = await expectOk(await api.post('/api/lenders', { headers, data: { name: 'Financiera Sol' } }), 'lender');
    const portfolio = await expectOk(await api.post('/api/portfolios', { headers, data: { lender_id: lender.id, name: 'Diciembre' } }), 'portfolio');
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
    return String(accounts.accounts.find((account) => account.lender_account_id === 'CR-1').id);
  } finally {
    await api.dispose();
  }
}

/** Returns the local date in Mexico City `days` from now, as YYYY-MM-DD. */
function cdmxDate(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date(Date.now() + days * DAY_MS));
}

/** Opens a console page that may only reach loopback and draws no map tiles. */
async function consolePage(browser) {
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

async function login(page, baseUrl, user) {
  await page.goto(`${baseUrl}/`);
  await fillLogin(page, user.email, user.password);
  await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
}

describe('console account page', () => {
  let server;
  let browser;
  let accountId;

  before(async () => {
    server = await startServer({ extraUsers: [AGENT, SUPERVISOR, VIEWER] });
    browser = await launchBrowser();
    accountId = await seed(server.baseUrl);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('supervisor records a phone contact', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const { context, page, external } = await consolePage(browser);
    try {
      await login(page, server.baseUrl, SUPERVISOR);
      await page.goto(`${server.baseUrl}/#/accounts`);
      await page.getByRole('link', { name: 'Abrir la cuenta CR-1' }).click();
      await page.waitForURL(new RegExp(`#/accounts/${accountId}$`));
      await page.getByRole('heading', { name: 'Cuenta CR-1 · Juana Pérez Soto', level: 2 }).waitFor();
      await page.getByText('Aún no hay visitas ni contactos').waitFor();
      await page.locator('path.account-geocoded').waitFor({ state: 'attached' });

      const form = page.locator('form.account__contact-form');
      await form.getByLabel('Medio').selectOption('phone');
      await form.getByLabel('Resultado').selectOption('PTP');
      await form.getByLabel('Monto en pesos').fill('500');
      await form.getByLabel('Fecha de pago prometida').fill(cdmxDate(3));
      await form.getByLabel('Nota').fill('Pagará en la sucursal del centro.');
      await form.getByRole('button', { name: 'Registrar contacto' }).click();
      await page.getByText('Contacto registrado.').waitFor();

      const row = page.locator('.account__history tbody tr').first();
      await row.getByText('Llamada').waitFor();
      await row.getByText(SUPERVISOR.name).waitFor();
      await row.getByText('Promesa de pago').waitFor();
      await row.getByText(/Pagará en la sucursal del centro/).waitFor();
      await saveScreenshot(page, 'console-account-contact');

      const today = cdmxDate(0);
      const report = await expectOk(
        await page.request.get(`${server.baseUrl}/api/reports/contact-hours?from=${today}&to=${today}&channel=phone`),
        'contact hours',
      );
      assert.equal(report.attempts, 1, 'the call counts once as a phone contact');
      assert.deepEqual(external, [], 'requests outside loopback');
    } finally {
      await context.close();
    }
  });

  it('viewer sees the page without the form', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, external } = await consolePage(browser);
    try {
      await login(page, server.baseUrl, VIEWER);
      await page.goto(`${server.baseUrl}/#/accounts/${accountId}`);
      await page.getByRole('heading', { name: 'Cuenta CR-1 · Juana Pérez Soto', level: 2 }).waitFor();
      await page.locator('.account__history tbody tr').first().getByText('Llamada').waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Registrar contacto' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Registrar contacto' }).count(), 0);
      await saveScreenshot(page, 'console-account-viewer');

      const session = await expectOk(await page.request.get(`${server.baseUrl}/api/session`), 'session');
      const rejected = await page.request.post(`${server.baseUrl}/api/accounts/${accountId}/contact-attempts`, {
        headers: { 'X-CSRF-Token': session.csrf_token },
        data: { channel: 'phone', occurred_at: Date.now() - 60_000, result_code: 'NOT_HOME' },
      });
      assert.equal(rejected.status(), 403);
      assert.deepEqual(external, [], 'requests outside loopback');
    } finally {
      await context.close();
    }
  });
});

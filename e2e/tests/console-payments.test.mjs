// Payments in the console. An agent promises to pay in a visit sent through
// the real field API over loopback. An admin imports the lender's payments
// file in the accounts section, first as a dry run and then for real. The
// promises list on the same page turns the promise from pending to kept, and
// the productivity report then shows it as kept.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, startServer } from './helpers/server.mjs';

const DAY_MS = 24 * 60 * 60_000;
const HOME = { latitude: 19.4194, longitude: -99.1617 };
const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  `PG-1,Juana Pérez Soto,1500.00,Durango,100,Roma Norte,06700,Cuauhtémoc,Ciudad de México,${HOME.latitude},${HOME.longitude}`,
].join('\n');
const MAPPING = [
  'lender_account_id', 'debtor_name', 'overdue_amount', 'street', 'exterior_number', 'colonia', 'postal_code',
  'municipality', 'state', 'latitude', 'longitude',
];

async function expectOk(response, what) {
  if (!response.ok()) {
    throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  }
  return response.status() === 204 ? null : response.json();
}

async function apiSession(baseUrl, user) {
  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  const session = await expectOk(await api.post('/api/auth/login', { data: { email: user.email, password: user.password } }), `login ${user.email}`);
  return { api, headers: { 'X-CSRF-Token': session.csrf_token } };
}

/** Returns the local date in Mexico City `days` from now, as YYYY-MM-DD. */
function cdmxDate(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date(Date.now() + days * DAY_MS));
}

/** Imports one account, assigns it to the agent and publishes the collection form. */
async function seed(baseUrl) {
  const { api, headers } = await apiSession(baseUrl, ADMIN);
  try {
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
    const accounts = await expectOk(await api.get(`/api/accounts?portfolio_id=${portfolio.id}&page=1&per_page=50`), 'accounts');
    const users = await expectOk(await api.get('/api/users'), 'users');
    const agent = users.users.find((user) => user.email === AGENT.email);
    await expectOk(
      await api.post('/api/assignments', { headers, data: { agent_id: String(agent.id), account_ids: accounts.accounts.map((a) => String(a.id)) } }),
      'assign',
    );
    await expectOk(await api.post('/api/forms/templates/visita_cobranza', { headers }), 'collection form');
  } finally {
    await api.dispose();
  }
}

/** Sends yesterday's noon visit with a promise of 750 pesos by today. */
async function sendPromise(baseUrl) {
  const { api, headers } = await apiSession(baseUrl, AGENT);
  try {
    const day = await expectOk(await api.get('/api/field/day'), 'day package');
    const stop = day.stops.find((item) => item.account.lender_account_id === 'PG-1');
    assert.ok(stop, 'stop PG-1 in the day package');
    const at = Date.parse(`${cdmxDate(-1)}T12:00:00-06:00`);
    const body = {
      account_id: stop.account.id,
      address_id: stop.address.id,
      form_version_id: day.form_for.collection,
      started_at: at,
      finished_at: at + 6 * 60_000,
      check_in: {
        fix: { ...HOME, accuracy_m: 9, fix_time: at },
        device_time: at,
        server_offset_ms: 0,
        on_device: { decision: 'accepted', reasons: [] },
      },
      answers: {
        person_met: 'debtor',
        disclosure_ack: 'OK',
        result_code: 'PTP',
        promise_amount: 750,
        promise_date: cdmxDate(0),
        promise_channel: 'transfer',
        notes: 'Paga mañana por transferencia.',
      },
      attachments: [],
    };
    await expectOk(await api.put(`/api/field/visits/${randomUUID()}`, { headers, data: body }), 'visit');
  } finally {
    await api.dispose();
  }
}

/**
 * Reads the productivity report, which first adds new visits to the rollups,
 * and checks that the agent's promise is stored as pending.
 */
async function expectPendingPromise(baseUrl) {
  const { api } = await apiSession(baseUrl, ADMIN);
  try {
    const report = await expectOk(await api.get('/api/reports/productivity'), 'productivity');
    const agent = report.agents.find((row) => row.agent_name === AGENT.name);
    assert.ok(agent, `agent in ${JSON.stringify(report)}`);
    assert.equal(agent.promises, 1);
    assert.equal(agent.promises_pending, 1);
  } finally {
    await api.dispose();
  }
}

describe('payments import', () => {
  let server;
  let browser;
  let fileDir;
  let paymentsPath;

  before(async () => {
    server = await startServer({ extraUsers: [AGENT] });
    browser = await launchBrowser();
    await seed(server.baseUrl);
    await sendPromise(server.baseUrl);
    await expectPendingPromise(server.baseUrl);
    fileDir = await mkdtemp(join(tmpdir(), 'ronda-payments-'));
    paymentsPath = join(fileDir, 'pagos.csv');
    await writeFile(paymentsPath, `Crédito;Fecha de pago;Monto;Referencia\r\nPG-1;${cdmxDate(0)};$750.00;SPEI-1\r\n`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (fileDir) await rm(fileDir, { recursive: true, force: true });
  });

  it('admin imports payments and sees the promise kept', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 }, timezoneId: 'America/Mexico_City' });
    try {
      await page.goto(`${server.baseUrl}/#/accounts`);
      await fillLogin(page, ADMIN.email, ADMIN.password);
      await page.getByRole('heading', { name: 'Cuentas', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Importar pagos' }).click();

      const section = page.getByRole('region', { name: 'Importar pagos' });
      const promises = page.getByRole('region', { name: 'Promesas de pago' });
      const promiseRow = promises.getByRole('row', { name: /PG-1/ });
      await promiseRow.waitFor();
      const before = await promiseRow.getByRole('cell').allTextContents();
      assert.deepEqual([before[0], before[1], before[2], before.at(-1)], ['PG-1', 'Juana Pérez Soto', 'Visita', 'Pendiente']);
      assert.equal(before[6] > before[5], true, 'due date after the promised date');

      await section.getByLabel('Otorgante').selectOption({ label: 'Financiera Sol' });
      await section.getByLabel('Archivo (CSV o Excel .xlsx)').setInputFiles(paymentsPath);
      await section.getByRole('button', { name: 'Revisar archivo' }).click();
      await section.getByText('1 pagos nuevos').waitFor();
      await section.getByText('1 promesas cambiarían de estado').waitFor();
      await section.getByRole('button', { name: 'Importar pagos' }).click();
      await section.getByText('Se importaron 1 pagos').waitFor();
      await promiseRow.getByRole('cell', { name: 'Cumplida' }).waitFor();
      await promises.getByLabel('Estado').selectOption({ label: 'Pendiente' });
      await promises.getByText('No hay promesas de pago con estos filtros.').waitFor();
      await promises.getByLabel('Estado').selectOption({ label: 'Cumplida' });
      await promiseRow.waitFor();
      await saveScreenshot(page, 'console-payments-imported');

      await page.goto(`${server.baseUrl}/#/reports`);
      await page.getByRole('tab', { name: 'Productividad' }).click();
      const table = page.getByRole('table', { name: /Productividad por gestor/ });
      const row = table.getByRole('row', { name: new RegExp(AGENT.name) });
      await row.waitFor();
      const cells = await row.getByRole('cell').allTextContents();
      assert.equal(cells[0], '1', 'one visit');
      assert.equal(cells.at(-1), '1 / 1', 'the promise is kept');
      await saveScreenshot(page, 'console-payments-productivity');
    } finally {
      await context.close();
    }
  });
});

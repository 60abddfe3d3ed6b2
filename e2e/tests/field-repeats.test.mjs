// Repeat groups in the field app. The organization publishes a version of
// the collection form with a repeat of personal references. An agent adds two
// references and is stopped by a constraint in the second one. Once it is
// fixed, the visit is sent, and the server validates and stores it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { PHONE, checkIn, fillPromise, finish, receipt, startVisit, visitIdOf, waitAllSent } from './helpers/field.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, startServer } from './helpers/server.mjs';

// Zócalo, Mexico City (America/Mexico_City, UTC-6 all year).
const HOME = { latitude: 19.4326, longitude: -99.1332 };
const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  `CR-1,Juana Pérez Soto,1500.00,40,Av. 20 de Noviembre,2,Centro,06000,Cuauhtémoc,Ciudad de México,${HOME.latitude},${HOME.longitude}`,
].join('\n');
const MAPPING = [
  'lender_account_id', 'debtor_name', 'overdue_amount', 'days_past_due', 'street', 'exterior_number',
  'colonia', 'postal_code', 'municipality', 'state', 'latitude', 'longitude',
];

const REFERENCES = {
  type: 'repeat',
  name: 'references',
  label: { es: 'Referencias', en: 'References' },
  children: [
    { type: 'text', name: 'ref_name', label: { es: 'Nombre de la referencia' }, required: 'true()' },
    { type: 'text', name: 'ref_phone', label: { es: 'Teléfono' }, constraint: 'string-length(.) = 10' },
  ],
};

async function expectOk(response, step) {
  assert.ok(response.ok(), `${step}: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** Imports one account, assigns it to the agent and publishes the collection form with a references repeat. */
async function seed(baseUrl) {
  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  try {
    const session = await expectOk(await api.post('/api/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } }), 'login');
    const headers = { 'X-CSRF-Token': session.csrf_token };
    const lender = await expectOk(
      await api.post('/api/lenders', {
        headers,
        data: { name: 'Financiera Sol', redeco_registration: null, complaint_unit_contact: null, collection_phones: ['5512345678'], payment_references: ['OXXO 1234'] },
      }),
      'lender',
    );
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
    const page = await expectOk(await api.get(`/api/accounts?portfolio_id=${portfolio.id}&page=1&per_page=50`), 'accounts');
    const users = await expectOk(await api.get('/api/users'), 'users');
    const agent = users.users.find((user) => user.email === AGENT.email);
    await expectOk(
      await api.post('/api/assignments', { headers, data: { agent_id: String(agent.id), account_ids: page.accounts.map((a) => String(a.id)) } }),
      'assign',
    );
    const installed = await expectOk(await api.post('/api/forms/templates/visita_cobranza', { headers }), 'collection form');
    const version = await expectOk(await api.get(`/api/forms/versions/${installed.id}`), 'template version');
    const definition = { ...version.definition, version: `${version.definition.version}.1`, questions: [...version.definition.questions, REFERENCES] };
    const report = await expectOk(
      await api.post('/api/forms', {
        headers,
        multipart: {
          file: { name: 'visita_cobranza.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definition), 'utf8') },
          dry_run: 'false',
        },
      }),
      'form with references',
    );
    assert.equal(report.status, 'published', JSON.stringify(report.problems));
  } finally {
    await api.dispose();
  }
}

/** Rewrites server_time in the day package so the app's clock reads noon in Mexico City, inside the contact window. */
async function pinNoon(context) {
  const now = new Date();
  const noon = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 18, 0);
  await context.route('**/api/field/day', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.server_time = noon;
    await route.fulfill({ response, json: body });
  });
}

describe('field repeats', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ extraUsers: [AGENT] });
    await seed(server.baseUrl);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends a visit with two references', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const { context, page } = await newPage(browser, { ...PHONE, geolocation: { ...HOME, accuracy: 8 }, permissions: ['geolocation'] });
    try {
      // Map tiles come from the internet, and the tests stay on loopback.
      await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
      await pinNoon(context);
      await page.goto(`${server.baseUrl}/app/`);
      await fillLogin(page, AGENT.email, AGENT.password);
      await page.getByRole('heading', { name: 'Mi día' }).waitFor();
      await page.getByText('Descargado el').waitFor();

      await startVisit(page, 'Juana Pérez Soto');
      await checkIn(page);
      await fillPromise(page);
      const add = page.getByRole('button', { name: 'Agregar a «Referencias»' });
      await add.click();
      await add.click();
      await page.getByRole('heading', { name: 'Elemento 2' }).waitFor();
      await page.locator('[id="q-references[0].ref_name"]').fill('Marta Soto');
      await page.locator('[id="q-references[0].ref_phone"]').fill('5511112222');
      await page.locator('[id="q-references[1].ref_name"]').fill('Pedro Soto');
      await page.locator('[id="q-references[1].ref_phone"]').fill('123');

      await page.getByRole('button', { name: 'Terminar visita' }).click();
      await page.locator('[id="q-references[1].ref_phone-problem"]').waitFor();
      assert.equal(await page.locator('[id="q-references[0].ref_phone-problem"]').count(), 0);

      await page.locator('[id="q-references[1].ref_phone"]').fill('5533334444');
      await finish(page);
      const id = visitIdOf(page);
      await waitAllSent(page);
      const answer = await receipt(page, server, id);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.status, 'complete');

      // The stored visit keeps both instances, in the shape the server validated.
      const admin = await playwrightRequest.newContext({ baseURL: server.baseUrl });
      try {
        await expectOk(await admin.post('/api/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } }), 'admin login');
        const visit = await expectOk(await admin.get(`/api/visits/${id}`), 'visit detail');
        assert.deepEqual(visit.answers.references, [
          { ref_name: 'Marta Soto', ref_phone: '5511112222' },
          { ref_name: 'Pedro Soto', ref_phone: '5533334444' },
        ]);
      } finally {
        await admin.dispose();
      }
    } catch (failure) {
      await saveScreenshot(page, 'field-repeats');
      throw failure;
    } finally {
      await context.close();
    }
  });
});

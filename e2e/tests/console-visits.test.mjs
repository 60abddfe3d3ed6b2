// Visit evidence in the console. An agent sends two visits that propose a
// corrected pin, through the real field API over loopback. A supervisor
// follows the live feed's link to the first one and approves the pin, so the
// address gets that point as its verified point. A viewer opens the second
// one without an approve button, and the server rejects the viewer's
// decision. An agent cannot open the console's visits.

import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, startServer } from './helpers/server.mjs';

const SUPERVISOR = { email: 'sofia@example.mx', name: 'Sofía Méndez', role: 'supervisor', password: 'supervisa-rutas-3' };
const VIEWER = { email: 'victor@example.mx', name: 'Víctor Nava', role: 'viewer', password: 'solo-consulta-44' };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

// Roma Norte, Mexico City. The agent proposes points about 60 m north of each file point.
const CR1 = { latitude: 19.4194, longitude: -99.1617 };
const CR2 = { latitude: 19.4214, longitude: -99.1617 };
const NORTH_60_M = 0.00054;

const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  `CR-1,Juana Pérez Soto,1500.00,40,Durango,100,Roma Norte,06700,Cuauhtémoc,Ciudad de México,${CR1.latitude},${CR1.longitude}`,
  `CR-2,Marco Díaz Ruiz,800.00,12,Colima,20,Roma Norte,06700,Cuauhtémoc,Ciudad de México,${CR2.latitude},${CR2.longitude}`,
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

/** Logs `user` in on a fresh API context and returns it with the CSRF header. */
async function apiSession(baseUrl, user) {
  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  const session = await expectOk(await api.post('/api/auth/login', { data: { email: user.email, password: user.password } }), `login ${user.email}`);
  return { api, headers: { 'X-CSRF-Token': session.csrf_token } };
}

/** Imports the two accounts, assigns them to the agent and publishes the collection form. */
async function seed(baseUrl) {
  const { api, headers } = await apiSession(baseUrl, ADMIN);
  try {
    const lender = await expectOk(await api.post('/api/lenders', { headers, data: { name: 'Financiera Sol', payment_references: ['OXXO 1234'] } }), 'lender');
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

/** Returns the local date in Mexico City `days` from now, as YYYY-MM-DD. */
function cdmxDate(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date(Date.now() + days * DAY_MS));
}

/** Draws a small JPEG in Chromium, standing in for the camera's photo. */
async function drawPhoto(browser) {
  const { context, page } = await newPage(browser);
  try {
    const base64 = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 240;
      const drawing = canvas.getContext('2d');
      drawing.fillStyle = '#7a9';
      drawing.fillRect(0, 0, 320, 240);
      drawing.fillStyle = '#333';
      drawing.fillRect(110, 80, 100, 160);
      return canvas.toDataURL('image/jpeg', 0.8).split(',')[1];
    });
    return Buffer.from(base64, 'base64');
  } finally {
    await context.close();
  }
}

/**
 * Sends a finished collection visit to `lenderAccountId` whose agent proposes
 * `proposed` as the address's pin, with a facade photo, the way the field app
 * does: the visit first, then the file. Returns the visit id.
 */
async function sendPinVisit(baseUrl, lenderAccountId, proposed, photo) {
  const { api, headers } = await apiSession(baseUrl, AGENT);
  try {
    const day = await expectOk(await api.get('/api/field/day'), 'day package');
    const stop = day.stops.find((item) => item.account.lender_account_id === lenderAccountId);
    assert.ok(stop, `stop ${lenderAccountId} in the day package`);
    const at = Date.now() - 10 * MINUTE_MS;
    const sha256 = createHash('sha256').update(photo).digest('hex');
    const id = randomUUID();
    const body = {
      account_id: stop.account.id,
      address_id: stop.address.id,
      form_version_id: day.form_for.collection,
      started_at: at,
      finished_at: at + 6 * MINUTE_MS,
      check_in: {
        fix: { latitude: proposed.latitude, longitude: proposed.longitude, accuracy_m: 9, fix_time: at },
        device_time: at,
        server_offset_ms: 0,
        on_device: { decision: 'accepted', reasons: [] },
        exception: 'pin_correction',
        proposed_point: proposed,
      },
      answers: {
        person_met: 'debtor',
        disclosure_ack: 'OK',
        result_code: 'PTP',
        promise_amount: 750,
        promise_date: cdmxDate(3),
        promise_channel: 'transfer',
        notes: 'El número exterior está en la casa de junto.',
        facade_photo: sha256,
      },
      attachments: [{ sha256, kind: 'photo', content_type: 'image/jpeg', bytes: photo.length, question: 'facade_photo' }],
    };
    await expectOk(await api.put(`/api/field/visits/${id}`, { headers, data: body }), `visit ${lenderAccountId}`);
    const upload = await api.put(`/api/field/attachments/${sha256}`, {
      headers: { ...headers, 'Content-Type': 'image/jpeg' },
      data: photo,
    });
    assert.ok([200, 201].includes(upload.status()), `photo upload: ${upload.status()} ${await upload.text()}`);
    return id;
  } finally {
    await api.dispose();
  }
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
}

/** Reads the CSRF token of the page's session, for requests sent with its cookies. */
async function csrfToken(page) {
  const response = await page.request.get(new URL('/api/session', page.url()).href);
  assert.equal(response.status(), 200, 'session');
  return (await response.json()).csrf_token;
}

describe('console visits', () => {
  let server;
  let browser;
  let photo;
  /** The visit the viewer checks, still pending; filled by the first test. */
  const pending = { id: '' };

  before(async () => {
    server = await startServer({ extraUsers: [AGENT, SUPERVISOR, VIEWER] });
    browser = await launchBrowser();
    await seed(server.baseUrl);
    photo = await drawPhoto(browser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('supervisor approves a proposed pin', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const { context, page, external } = await consolePage(browser);
    try {
      await login(page, server.baseUrl, SUPERVISOR);
      await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      await page.locator('.live-feed__connection').getByText('En vivo').waitFor();

      const proposed = { latitude: CR1.latitude + NORTH_60_M, longitude: CR1.longitude };
      const id = await sendPinVisit(server.baseUrl, 'CR-1', proposed, photo);
      pending.id = await sendPinVisit(server.baseUrl, 'CR-2', { latitude: CR2.latitude + NORTH_60_M, longitude: CR2.longitude }, photo);

      // The live feed links the finished visit to its evidence page.
      const entry = page.locator('.live-feed__item--visit-completed').filter({ hasText: 'CR-1' });
      await entry.getByRole('link', { name: 'Ver evidencia' }).click();
      await page.waitForURL(new RegExp(`#/visits/${id}$`));
      await page.getByRole('heading', { name: `Visita a la cuenta CR-1 de ${AGENT.name}`, level: 2 }).waitFor();
      await page.getByRole('row', { name: /¿A quién encontró en el domicilio\?/ }).getByText('Titular (deudor)').waitFor();
      await page.getByText('El gestor declaró que la ubicación del domicilio está mal').waitFor();
      await page.getByText('Pendiente de revisión').waitFor();
      const image = page.getByRole('img', { name: 'Foto de «facade_photo»' });
      await image.waitFor();
      await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
      await page.locator('path.visit-checkin').waitFor({ state: 'attached' });
      await page.locator('path.visit-accuracy').waitFor({ state: 'attached' });
      await page.locator('path.visit-proposed').waitFor({ state: 'attached' });
      assert.equal(await page.locator('path.visit-verified').count(), 0, 'no verified point yet');
      await saveScreenshot(page, 'console-visit-pending');

      await page.getByLabel('Nota (opcional)').fill('La foto muestra el número correcto.');
      await page.getByRole('button', { name: 'Aprobar ubicación' }).click();
      await page.getByText('Aprobada: es la ubicación verificada del domicilio').waitFor();
      await page.getByText('Ubicación propuesta aprobada').waitFor();
      await page.locator('path.visit-verified').waitFor({ state: 'attached' });
      assert.equal(await page.getByRole('button', { name: 'Aprobar ubicación' }).count(), 0);
      await saveScreenshot(page, 'console-visit-approved');

      const detail = await expectOk(await page.request.get(`${server.baseUrl}/api/visits/${id}`), 'visit detail');
      // The server's JSON parser may change a coordinate's last digit, so compare to 1e-9 degrees.
      assert.ok(Math.abs(detail.address.verified_point.latitude - proposed.latitude) < 1e-9, 'verified latitude');
      assert.ok(Math.abs(detail.address.verified_point.longitude - proposed.longitude) < 1e-9, 'verified longitude');
      assert.equal(detail.pin_correction.state, 'approved');
      assert.equal(detail.audit[0].action, 'visit.pin_correction_approved');

      // The list shows both visits; the second still waits for review.
      await page.getByRole('link', { name: /Volver a visitas/ }).click();
      const rows = page.locator('.visits__table tbody tr');
      await rows.nth(1).waitFor();
      assert.equal(await rows.count(), 2);
      await rows.filter({ hasText: 'CR-2' }).getByText('Ubicación por revisar').waitFor();
      await saveScreenshot(page, 'console-visits-list');

      assert.deepEqual(external, [], 'requests outside loopback');
    } finally {
      await context.close();
    }
  });

  it('viewer sees the visit and cannot decide', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(pending.id, 'the first test sent the pending visit');
    const { context, page, external } = await consolePage(browser);
    try {
      await login(page, server.baseUrl, VIEWER);
      await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      await page.goto(`${server.baseUrl}/#/visits/${pending.id}`);
      await page.getByRole('heading', { name: `Visita a la cuenta CR-2 de ${AGENT.name}`, level: 2 }).waitFor();
      await page.getByText('Pendiente de revisión').waitFor();
      await page.getByRole('row', { name: /¿A quién encontró en el domicilio\?/ }).getByText('Titular (deudor)').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Aprobar ubicación' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Rechazar ubicación' }).count(), 0);
      await saveScreenshot(page, 'console-visit-viewer');

      const rejected = await page.request.post(`${server.baseUrl}/api/visits/${pending.id}/pin-correction`, {
        headers: { 'X-CSRF-Token': await csrfToken(page) },
        data: { decision: 'approve' },
      });
      assert.equal(rejected.status(), 403);
      const detail = await expectOk(await page.request.get(`${server.baseUrl}/api/visits/${pending.id}`), 'visit detail');
      assert.equal(detail.pin_correction.state, 'pending');
      assert.equal(detail.address.verified_point, null);
      assert.deepEqual(external, [], 'requests outside loopback');
    } finally {
      await context.close();
    }
  });

  it('agent cannot open console visits', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await consolePage(browser);
    try {
      await login(page, server.baseUrl, AGENT);
      await page.getByRole('heading', { name: 'Esta consola es para supervisores' }).waitFor();
      await page.goto(`${server.baseUrl}/#/visits/${pending.id}`);
      await page.getByRole('heading', { name: 'Esta consola es para supervisores' }).waitFor();
      assert.equal(await page.getByRole('heading', { name: /Visita a la cuenta/ }).count(), 0);

      const list = await page.request.get(`${server.baseUrl}/api/visits`);
      assert.equal(list.status(), 403);
      const detail = await page.request.get(`${server.baseUrl}/api/visits/${pending.id}`);
      assert.equal(detail.status(), 403);
    } finally {
      await context.close();
    }
  });
});

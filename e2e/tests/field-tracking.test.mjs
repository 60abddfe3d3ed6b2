// Position tracking beyond "Mi día": an agent on a 360 px phone clocks in,
// opens a visit and walks while the visit screen is open. The positions
// recorded there must reach the server, where a supervisor reads them. The
// same run measures the touch targets of the map and the footer.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { PHONE, startVisit } from './helpers/field.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, startServer } from './helpers/server.mjs';

const SUPERVISOR = { email: 'sara@example.mx', name: 'Sara Campos', role: 'supervisor', password: 'supervisa-rutas-3' };

// Plaza de la Constitución, Mexico City.
const START = { latitude: 19.4326, longitude: -99.1332 };
// Each step is 0.0004° of latitude north, about 44 m: more than the 30 m the
// tracker needs to keep a fix taken within 15 s of the previous one.
const STEP_DEG = 0.0004;
const WALK = [
  { latitude: START.latitude + STEP_DEG, longitude: START.longitude, accuracy: 11 },
  { latitude: START.latitude + 2 * STEP_DEG, longitude: START.longitude, accuracy: 13 },
];
// The time between steps keeps the implied speed near 100 km/h, under the
// server's 200 km/h limit for accepted positions.
const STEP_PAUSE_MS = 1_600;
const MIN_TOUCH_PX = 44;

const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  `TR-1,Ofelia Campos Ruiz,1200.00,30,Madero,12,Centro,06000,Cuauhtémoc,Ciudad de México,${START.latitude},${START.longitude}`,
  `TR-2,Rubén Ortiz Lara,640.00,9,Tacuba,21,Centro,06000,Cuauhtémoc,Ciudad de México,${START.latitude + 0.002},${START.longitude}`,
].join('\n');
const COLUMNS = [
  'lender_account_id', 'debtor_name', 'overdue_amount', 'days_past_due', 'street', 'exterior_number',
  'colonia', 'postal_code', 'municipality', 'state', 'latitude', 'longitude',
];

async function json(response, step) {
  assert.ok(response.ok(), `${step}: HTTP ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

/** Signs in through the API and returns the request context with the session cookie and its CSRF header. */
async function apiSession(baseUrl, user) {
  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  const session = await json(await api.post('/api/auth/login', { data: { email: user.email, password: user.password } }), `login ${user.email}`);
  return { api, headers: { 'X-CSRF-Token': session.csrf_token } };
}

/** Imports two accounts with map points, assigns them to the agent, publishes the visit form, and returns the agent's id. */
async function seedDay(baseUrl) {
  const { api, headers } = await apiSession(baseUrl, ADMIN);
  try {
    const lender = await json(
      await api.post('/api/lenders', {
        headers,
        data: { name: 'Crédito Amigo', redeco_registration: null, complaint_unit_contact: null, collection_phones: ['5598765432'], payment_references: ['BANCO 777'] },
      }),
      'create lender',
    );
    const portfolio = await json(await api.post('/api/portfolios', { headers, data: { lender_id: lender.id, name: 'Rutas centro' } }), 'create portfolio');
    await json(
      await api.post('/api/imports', {
        headers,
        multipart: {
          file: { name: 'rutas.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') },
          portfolio_id: String(portfolio.id),
          mapping: JSON.stringify(COLUMNS),
          dry_run: 'false',
        },
      }),
      'import accounts',
    );
    const accounts = await json(await api.get(`/api/accounts?portfolio_id=${portfolio.id}&page=1&per_page=10`), 'list accounts');
    const { users } = await json(await api.get('/api/users'), 'list users');
    const agent = users.find((user) => user.email === AGENT.email);
    await json(
      await api.post('/api/assignments', { headers, data: { agent_id: String(agent.id), account_ids: accounts.accounts.map((a) => String(a.id)) } }),
      'assign accounts',
    );
    await json(await api.post('/api/forms/templates/visita_cobranza', { headers }), 'publish visit form');
    return String(agent.id);
  } finally {
    await api.dispose();
  }
}

/**
 * Returns every stored point of the agent's track on the days around now, as
 * the supervisor's agent-day endpoint lists them. The server cuts days in its
 * tracking time zone, so asking for yesterday, today and tomorrow (UTC) covers
 * any zone.
 */
async function supervisorTrack(api, agentId) {
  const points = [];
  for (const offset of [-1, 0, 1]) {
    const day = new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const body = await json(await api.get(`/api/tracking/agents/${agentId}/days/${day}`), `agent day ${day}`);
    points.push(...body.track);
  }
  return points;
}

function near(point, place) {
  return Math.abs(point.latitude - place.latitude) < 1e-6 && Math.abs(point.longitude - place.longitude) < 1e-6;
}

async function assertTouchTarget(locator, name) {
  const box = await locator.boundingBox();
  assert.ok(box !== null, `${name} is on screen`);
  assert.ok(box.width >= MIN_TOUCH_PX, `${name} is ${box.width} px wide`);
  assert.ok(box.height >= MIN_TOUCH_PX, `${name} is ${box.height} px tall`);
}

describe('field tracking', () => {
  let server;
  let browser;
  let agentId;

  before(async () => {
    server = await startServer({ extraUsers: [AGENT, SUPERVISOR] });
    agentId = await seedDay(server.baseUrl);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('visit screen positions reach server', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const { context, page } = await newPage(browser, {
      ...PHONE,
      geolocation: { ...START, accuracy: 8 },
      permissions: ['geolocation'],
    });
    // Map tiles come from the internet; the test stays on loopback.
    await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
    const supervisor = await apiSession(server.baseUrl, SUPERVISOR);
    try {
      await page.goto(`${server.baseUrl}/app/`);
      await fillLogin(page, AGENT.email, AGENT.password);
      await page.getByRole('heading', { name: 'Mi día' }).waitFor();
      await page.getByText('Listo para trabajar sin conexión').waitFor({ timeout: 20_000 });
      const indicator = page.locator('.field-tracking-bar [role="status"]');
      assert.equal(await indicator.count(), 0, 'no indicator before clock-in');

      // Map pins and zoom buttons, with tiles blocked as offline.
      await page.getByRole('button', { name: 'Mapa' }).click();
      await page.locator('.map-pin').first().waitFor();
      await assertTouchTarget(page.locator('.map-pin').first(), 'map pin');
      await assertTouchTarget(page.locator('.leaflet-control-zoom-in'), 'zoom in');
      await assertTouchTarget(page.locator('.leaflet-control-zoom-out'), 'zoom out');
      await page.getByRole('button', { name: 'Lista' }).click();

      // The agent starts the shift without signal, so the shift waits on the phone.
      await context.setOffline(true);
      await page.getByText('Sin conexión.').first().waitFor();
      await page.getByRole('button', { name: 'Iniciar jornada' }).click();
      await indicator.filter({ hasText: 'Jornada iniciada: registrando tu ubicación.' }).waitFor();
      await indicator.filter({ hasText: '±8 m' }).waitFor();
      const seePending = page.getByRole('button', { name: 'Ver pendientes' });
      await seePending.waitFor();
      await assertTouchTarget(seePending, 'Ver pendientes');
      // The tab counts the waiting shift as the footer does, not only visits.
      await page.getByRole('link', { name: /^Pendientes \([1-9]\d*\)$/ }).waitFor();

      await startVisit(page, 'Ofelia Campos Ruiz');
      assert.match(page.url(), /#\/visita\//);
      assert.equal(await indicator.isVisible(), true, 'indicator on the visit screen');
      assert.match(await indicator.innerText(), /Jornada iniciada: registrando tu ubicación\./);
      // The indicator stays on screen while the agent scrolls down to the check-in.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const pinned = await indicator.boundingBox();
      assert.notEqual(pinned, null, 'indicator has a box');
      assert.ok(pinned.y >= 0, `indicator at y=${pinned.y}, above the screen`);
      assert.ok(pinned.y < 100, `indicator at y=${pinned.y}, not at the top`);
      await page.evaluate(() => window.scrollTo(0, 0));

      for (const step of WALK) {
        await page.waitForTimeout(STEP_PAUSE_MS);
        await context.setGeolocation(step);
        await indicator.filter({ hasText: `±${step.accuracy} m` }).waitFor();
      }
      await saveScreenshot(page, 'field-tracking-visit');

      // Back online on the same screen: the shell uploads what the phone kept.
      await context.setOffline(false);
      await page.getByText('Sin conexión.').first().waitFor({ state: 'detached' });
      let track = [];
      for (let attempt = 0; attempt < 40; attempt++) {
        track = await supervisorTrack(supervisor.api, agentId);
        if (WALK.every((step) => track.some((point) => near(point, step)))) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      for (const step of WALK) {
        const point = track.find((candidate) => near(candidate, step));
        assert.ok(point, `position ${step.latitude} in the track: ${JSON.stringify(track)}`);
        assert.equal(point.accuracy_m, step.accuracy);
        assert.equal(point.flag_reason ?? null, null, `position ${step.latitude} accepted`);
      }
      assert.match(page.url(), /#\/visita\//, 'still on the visit screen');

      const live = await json(await supervisor.api.get('/api/tracking/live'), 'live positions');
      const agent = live.agents.find((entry) => entry.agent_id === agentId);
      assert.ok(agent, `agent on the live map: ${JSON.stringify(live.agents)}`);
      assert.ok(near(agent, WALK[WALK.length - 1]), `live position is the last step: ${JSON.stringify(agent)}`);
    } finally {
      await supervisor.api.dispose();
      await context.close();
    }
  });
});

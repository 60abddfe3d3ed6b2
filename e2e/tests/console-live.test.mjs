// Live map and agents' devices in the console: a supervisor registers a phone
// for an agent, the test sends OsmAnd positions with that device's secret over
// loopback, and the agent shows on the "Hoy" map and in their day's track.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { AGENT, startServer } from './helpers/server.mjs';

const SUPERVISOR = { email: 'sofia@example.mx', name: 'Sofía Méndez', role: 'supervisor', password: 'supervisa-rutas-3' };
const VIEWER = { email: 'victor@example.mx', name: 'Víctor Nava', role: 'viewer', password: 'solo-consulta-44' };

/** Positions reach the map by server-sent event, or by the page's 15-second reload without one. */
const LIVE_TIMEOUT_MS = 25_000;
const MINUTE_MS = 60_000;
const KNOTS_PER_MPS = 1.943844;

/**
 * Opens a console page whose map draws no tiles and whose requests may only
 * go to loopback. Returns the list of any other URL the page tried.
 */
async function consolePage(browser) {
  const { context, page } = await newPage(browser, {
    viewport: { width: 1280, height: 900 },
    timezoneId: 'America/Mexico_City',
  });
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

/** Logs the agent in over the API and opens a shift that began an hour ago. */
async function clockIn(baseUrl, user) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  assert.equal(response.status, 200, 'agent login');
  const session = await response.json();
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ');
  const shift = await fetch(`${baseUrl}/api/field/shifts/${randomUUID()}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': session.csrf_token },
    body: JSON.stringify({ clocked_in_at: Date.now() - 60 * MINUTE_MS }),
  });
  assert.equal(shift.status, 201, `clock-in: ${await shift.text()}`);
}

/** Sends one position the way Traccar Client does: a GET with the fields in the query. */
async function sendOsmand(serverUrl, identifier, fix) {
  const query = new URLSearchParams({
    id: identifier,
    lat: String(fix.latitude),
    lon: String(fix.longitude),
    timestamp: String(Math.floor(fix.time / 1000)),
    speed: String(fix.speedMps * KNOTS_PER_MPS),
    accuracy: '8',
    batt: String(fix.battery),
  });
  const response = await fetch(`${serverUrl}?${query}`);
  return response.status;
}

/**
 * Builds a morning in Mexico City relative to `now`: a walk north, a stop of six
 * minutes, one fix in Monterrey a minute later (an impossible speed), and a
 * walk on. The last fix, a minute ago, is sent separately.
 */
function dayFixes(now) {
  const fixes = [];
  let latitude = 19.4326;
  const longitude = -99.1332;
  for (let minute = 30; minute > 24; minute--) {
    fixes.push({ time: now - minute * MINUTE_MS, latitude, longitude, speedMps: 5, battery: 90 });
    latitude += 0.0027;
  }
  for (let minute = 24; minute >= 18; minute--) {
    const jitter = (minute % 2) * 0.00002;
    fixes.push({ time: now - minute * MINUTE_MS, latitude: latitude + jitter, longitude, speedMps: 0, battery: 88 });
  }
  fixes.push({ time: now - 17 * MINUTE_MS, latitude: 25.6866, longitude: -100.3161, speedMps: 0, battery: 88 });
  for (let minute = 16; minute > 11; minute--) {
    latitude += 0.0027;
    fixes.push({ time: now - minute * MINUTE_MS, latitude, longitude, speedMps: 5, battery: 86 });
  }
  return { fixes, last: { time: now - MINUTE_MS, latitude: latitude + 0.0027, longitude, speedMps: 4, battery: 85 } };
}

describe('console live map', () => {
  let server;
  let browser;
  /** Filled by the first test, used by the next ones. */
  const device = { serverUrl: '', identifier: '' };

  before(async () => {
    server = await startServer({ extraUsers: [AGENT, SUPERVISOR, VIEWER] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('supervisor registers device, positions appear', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    const { context, page, external } = await consolePage(browser);
    try {
      await login(page, server.baseUrl, SUPERVISOR);
      await page.getByText('Aún no hay gestores en el mapa').waitFor();
      await page.getByText('Sin mapa de fondo').waitFor();

      await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Gestores', exact: true }).click();
      await page.getByRole('heading', { name: AGENT.name, level: 2 }).waitFor();
      await page.getByText('Este gestor aún no tiene dispositivos').waitFor();
      await page.getByText('Sin ubicaciones en esta fecha').waitFor();

      await page.getByRole('button', { name: 'Registrar dispositivo' }).click();
      const dialog = page.getByRole('dialog', { name: `Registrar dispositivo de ${AGENT.name}` });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Registrar', exact: true }).click();
      await dialog.getByText('no se volverá a mostrar').waitFor();
      device.serverUrl = await dialog.getByLabel('URL del servidor', { exact: true }).inputValue();
      device.identifier = await dialog.getByLabel('Identificador del dispositivo', { exact: true }).inputValue();
      assert.match(device.serverUrl, /^http:\/\/127\.0\.0\.1:\d+\/tracking\/osmand\/\S+$/);
      assert.match(device.identifier, /^\d{10}$/);
      await dialog.getByRole('img', { name: 'Código QR con la URL del servidor para Traccar Client' }).waitFor();
      await saveScreenshot(page, 'console-live-device-dialog');
      await dialog.getByRole('button', { name: 'Listo, ya los copié' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('cell', { name: device.identifier }).waitFor();

      await clockIn(server.baseUrl, AGENT);
      const now = Date.now();
      const { fixes, last } = dayFixes(now);
      for (const fix of fixes) {
        assert.equal(await sendOsmand(device.serverUrl, device.identifier, fix), 200);
      }

      // The live map, opened before the newest position arrives.
      await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Hoy', exact: true }).click();
      const marker = page.locator(`.leaflet-marker-icon[title="${AGENT.name}"]`);
      await marker.waitFor();
      const item = page.getByRole('list', { name: 'Gestores con su última posición' }).getByRole('button', { name: new RegExp(AGENT.name) });
      await item.getByText('Sin señal reciente').waitFor();

      assert.equal(await sendOsmand(device.serverUrl, device.identifier, last), 200);
      await item.getByText('Activo').waitFor({ timeout: LIVE_TIMEOUT_MS });
      assert.match(await item.innerText(), /visto hace 1 min/);
      assert.match(await item.innerText(), /85 %/);
      assert.match(await item.innerText(), /14 km\/h/);
      assert.match((await page.locator('.live-legend').innerText()).replace(/\s+/g, ' '), /Activo: 1 /);
      // The marker's icon is redrawn after the list item, so wait for it before counting.
      await page.locator('.leaflet-marker-icon.live-marker--active').first().waitFor({ timeout: LIVE_TIMEOUT_MS });
      assert.equal(await page.locator('.leaflet-marker-icon.live-marker--active').count(), 1, 'one active marker');

      // The list is the keyboard route to the marker's details.
      await item.focus();
      await page.keyboard.press('Enter');
      assert.equal(await item.getAttribute('aria-pressed'), 'true');
      // A redraw replaces the popup, and the old one fades out for 200 ms.
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-popup-content').length === 1);
      await page.locator('.leaflet-popup-content').getByText(AGENT.name).waitFor();
      await saveScreenshot(page, 'console-live-today');
      // On a tablet the list goes under the map.
      await page.setViewportSize({ width: 820, height: 1180 });
      await item.waitFor();
      await saveScreenshot(page, 'console-live-today-tablet');
      await page.setViewportSize({ width: 1280, height: 900 });

      // The agent's day: track, stop, flagged fix and distance.
      await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Gestores', exact: true }).click();
      await page.getByRole('heading', { name: 'Recorrido del día' }).waitFor();
      await page.locator('path.day-track').waitFor({ state: 'attached' });
      assert.equal(await page.locator('path.day-flagged').count(), 1, 'one flagged point on the map');
      assert.ok((await page.locator('path.day-stop').count()) >= 1, 'a stop circle on the map');
      const stops = page.getByRole('table', { name: 'Paradas' });
      await stops.getByText('6 min').waitFor();
      const flagged = page.getByRole('table', { name: 'Puntos marcados y su motivo' });
      await flagged.getByText('Velocidad imposible').waitFor();
      const distance = await page.locator('.day-summary').innerText();
      assert.match(distance, /Distancia recorrida\s+\d+\.\d km/);
      const km = Number(/(\d+\.\d) km/.exec(distance)[1]);
      // 12 steps of 0.0027° of latitude are about 3.6 km; the fix in Monterrey adds nothing.
      assert.ok(km >= 3.3, `distance ${km} km`);
      assert.ok(km <= 3.9, `distance ${km} km`);
      await saveScreenshot(page, 'console-live-agent-day');

      assert.deepEqual(external, [], 'requests outside loopback');
    } finally {
      await context.close();
    }
  });

  it('viewer sees map and no device controls', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, external } = await consolePage(browser);
    try {
      await login(page, server.baseUrl, VIEWER);
      await page.locator(`.leaflet-marker-icon[title="${AGENT.name}"]`).waitFor();

      await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Gestores', exact: true }).click();
      await page.getByRole('heading', { name: AGENT.name, level: 2 }).waitFor();
      await page.getByText('solo los ven administradores y supervisores').waitFor();
      await page.locator('path.day-track').waitFor({ state: 'attached' });
      assert.equal(await page.getByRole('button', { name: 'Registrar dispositivo' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /^Revocar/ }).count(), 0);
      assert.deepEqual(external, [], 'requests outside loopback');
    } finally {
      await context.close();
    }
  });

  it('revoked device cannot send positions', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await consolePage(browser);
    try {
      await login(page, server.baseUrl, SUPERVISOR);
      await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Gestores', exact: true }).click();
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: `Revocar Teléfono de ${AGENT.name}` }).click();
      await page.getByText(`Se revocó Teléfono de ${AGENT.name}.`).waitFor();
      await page.getByRole('cell', { name: 'Revocado' }).waitFor();

      const fix = { time: Date.now(), latitude: 19.45, longitude: -99.13, speedMps: 0, battery: 80 };
      assert.equal(await sendOsmand(device.serverUrl, device.identifier, fix), 401);
    } finally {
      await context.close();
    }
  });
});

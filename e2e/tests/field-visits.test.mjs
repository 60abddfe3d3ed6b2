// Field visits end to end: an agent on a 360 px phone with emulated GPS
// downloads the day, checks in, fills the collection form and sends it, in
// headless Chromium against the real server. The server runs from this file
// (not the shared helper) because one test kills it and starts it again on
// the same port and database.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import {
  PHONE,
  checkIn,
  fillPromise,
  gpsTicking,
  finish,
  receipt,
  startVisit,
  visitIdOf,
  waitAllSent,
} from './helpers/field.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, ORG_NAME, RONDA_BIN } from './helpers/server.mjs';

// Zócalo, Mexico City (America/Mexico_City, UTC-6 all year).
const HOME = { latitude: 19.4326, longitude: -99.1332 };
// 0.018° of latitude north: 2.0 km away.
const FAR = { latitude: 19.4506, longitude: -99.1332 };
const CDMX_OFFSET_H = -6;

// Where each seeded debtor lives, about 110 m apart around HOME.
const LUIS = { latitude: HOME.latitude - 0.001, longitude: HOME.longitude };
const CARMEN = { latitude: HOME.latitude, longitude: HOME.longitude - 0.001 };

const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  `CR-1,Juana Pérez Soto,1500.00,40,Av. 20 de Noviembre,2,Centro,06000,Cuauhtémoc,Ciudad de México,${HOME.latitude},${HOME.longitude}`,
  `CR-2,Marco Díaz Ruiz,800.00,12,República de Brasil,5,Centro,06000,Cuauhtémoc,Ciudad de México,${HOME.latitude + 0.001},${HOME.longitude}`,
  `CR-3,Rosa Elena Vargas,2300.00,75,Moneda,10,Centro,06000,Cuauhtémoc,Ciudad de México,${HOME.latitude},${HOME.longitude + 0.001}`,
  `CR-4,Luis Ángel Mora,450.00,5,Madero,30,Centro,06000,Cuauhtémoc,Ciudad de México,${LUIS.latitude},${LUIS.longitude}`,
  `CR-5,Carmen Ibarra,990.00,20,Tacuba,8,Centro,06000,Cuauhtémoc,Ciudad de México,${CARMEN.latitude},${CARMEN.longitude}`,
].join('\n');
const MAPPING = [
  'lender_account_id', 'debtor_name', 'overdue_amount', 'days_past_due', 'street', 'exterior_number',
  'colonia', 'postal_code', 'municipality', 'state', 'latitude', 'longitude',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function run(args, stdin = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(RONDA_BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`ronda ${args.join(' ')}: ${output}`))));
    child.stdin.end(stdin);
  });
}

/** `ronda serve` on a fixed port and database, which `restart` keeps. */
class Server {
  static async create() {
    const dir = await mkdtemp(join(tmpdir(), 'ronda-field-e2e-'));
    const databaseUrl = `sqlite://${dir}/ronda.sqlite`;
    for (const [user, first] of [[ADMIN, true], [AGENT, false]]) {
      const args = ['--database', databaseUrl, 'user', 'add', '--org', ORG_NAME];
      if (first) args.push('--create-org');
      args.push('--email', user.email, '--name', user.name, '--role', user.role, '--password-stdin');
      await run(args, `${user.password}\n`);
    }
    const server = new Server(dir, databaseUrl, await freePort());
    await server.start();
    return server;
  }

  constructor(dir, databaseUrl, port) {
    this.dir = dir;
    this.databaseUrl = databaseUrl;
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.child = null;
    this.logs = [];
  }

  start() {
    const child = spawn(RONDA_BIN, ['--database', this.databaseUrl, 'serve', '--listen', `127.0.0.1:${this.port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr.on('data', (chunk) => this.logs.push(String(chunk)));
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${this.logs.join('')}`)), 30_000);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        this.logs.push(String(chunk));
        if (/Ronda listening on/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${this.logs.join('')}`));
      });
    });
  }

  /** Kills the process at once, as a crash or a power cut would. */
  async kill() {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async stop() {
    if (this.child !== null && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function expectOk(response, what) {
  if (!response.ok()) {
    throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  }
  return response.status() === 204 ? null : response.json();
}

/** Creates a lender, imports five accounts with points, publishes the collection form and assigns all to the agent. */
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
    await expectOk(await api.post('/api/forms/templates/visita_cobranza', { headers }), 'collection form');
  } finally {
    await api.dispose();
  }
}

/** Unix ms when the clock in Mexico City reads `hour:minute` today (UTC date). */
function cdmxToday(hour, minute) {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour - CDMX_OFFSET_H, minute);
}

/**
 * Rewrites server_time in the day package, as if the server's clock read
 * `serverTime` when it answered. The app measures its clock offset from that
 * value, which is how a check-in at a given local hour is reproduced without
 * changing any clock.
 */
async function pinServerTime(context, serverTime) {
  await context.route('**/api/field/day', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.server_time = serverTime;
    await route.fulfill({ response, json: body });
  });
}

/** Counts visit PUTs the server answered with 201 Created (a new visit). */
function countCreatedVisits(context) {
  const counter = { created: 0, statuses: [] };
  context.on('response', (response) => {
    const request = response.request();
    if (request.method() === 'PUT' && /\/api\/field\/visits\/[0-9a-f-]{36}$/.test(response.url())) {
      counter.statuses.push(response.status());
      if (response.status() === 201) counter.created += 1;
    }
  });
  return counter;
}

async function openAgentApp(browser, server, { at = HOME, serverTime = cdmxToday(12, 0) } = {}) {
  const { context, page } = await newPage(browser, {
    ...PHONE,
    geolocation: { ...at, accuracy: 8 },
    permissions: ['geolocation'],
  });
  // Map tiles come from the internet; the tests stay on loopback.
  await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
  await pinServerTime(context, serverTime);
  const created = countCreatedVisits(context);
  await page.goto(`${server.baseUrl}/app/`);
  await fillLogin(page, AGENT.email, AGENT.password);
  await page.getByRole('heading', { name: 'Mi día' }).waitFor();
  await page.getByText('Descargado el').waitFor();
  return { context, page, created };
}

describe('field visits', () => {
  let server;
  let browser;

  before(async () => {
    server = await Server.create();
    await seed(server.baseUrl);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a whole day offline sends exactly one visit when back online', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const { context, page, created } = await openAgentApp(browser, server);
    try {
      await page.getByText('Listo para trabajar sin conexión').waitFor({ timeout: 20_000 });
      await saveScreenshot(page, 'field-day');
      await context.setOffline(true);
      await page.getByText('Sin conexión.').first().waitFor();

      await startVisit(page, 'Juana Pérez Soto');
      await checkIn(page);
      await fillPromise(page);
      await saveScreenshot(page, 'field-form');
      await finish(page);
      const id = visitIdOf(page);

      await page.getByRole('link', { name: /Pendientes \(1\)/ }).waitFor();
      assert.equal(created.statuses.length, 0, 'nothing was sent while offline');
      assert.equal(await page.getByRole('button', { name: 'Cerrar sesión' }).isDisabled(), true, 'logout waits for the upload');
      await page.getByText('Tienes registros sin enviar. Envíalos antes de cerrar sesión.').waitFor();

      await context.setOffline(false);
      await waitAllSent(page);
      const answer = await receipt(page, server, id);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.status, 'complete', 'the photo arrived');
      assert.equal(created.created, 1, `visit PUT statuses: ${created.statuses.join(', ')}`);
    } finally {
      await context.close();
    }
  });

  it('the synced visit counts in the best contact hours report', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${server.baseUrl}/#/reports`);
      await fillLogin(page, ADMIN.email, ADMIN.password);
      await page.getByRole('heading', { name: 'Mejores horarios de contacto' }).waitFor();
      // The visit happened at noon in Mexico City on today's UTC date, which can be
      // tomorrow for the server's local calendar: ask for the days around it.
      const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const period = `from=${day(-1)}&to=${day(1)}`;
      const report = await (await page.request.get(`${server.baseUrl}/api/reports/contact-hours?${period}`)).json();
      assert.equal(report.attempts, 1, 'the one visit of the first test');
      assert.equal(report.cells.length, 1);
      const [cell] = report.cells;
      const weekdays = ['Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado', 'Domingo'];
      const hours = `${String(cell.hour).padStart(2, '0')}:00–${String((cell.hour + 1) % 24).padStart(2, '0')}:00`;
      await page.getByLabel('Desde').fill(day(-1));
      await page.getByLabel('Hasta').fill(day(1));
      const row = page.locator('.reports__table tbody tr');
      await row.first().waitFor();
      assert.equal(await row.count(), 1);
      assert.equal(await row.first().locator('th').innerText(), weekdays[cell.weekday - 1]);
      assert.equal(await row.first().locator('td').first().innerText(), hours);
      await page.locator('.reports__chart svg').first().waitFor();
      await page.getByText(/1 intentos, 100 % de contacto con el titular, 100 % de éxito/).waitFor();
      await saveScreenshot(page, 'console-reports');
    } finally {
      await context.close();
    }
  });

  it('day view searches, maps and navigates', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAgentApp(browser, server);
    try {
      const stops = page.locator('.stop-list > li');
      assert.equal(await stops.count(), 5);
      assert.match(await stops.first().innerText(), /Juana Pérez Soto/, 'route order starts with stop 1');
      const rosa = page.locator('.stop-list > li').filter({ hasText: 'Rosa Elena Vargas' });
      const rosaOrder = (await rosa.locator('.stop__order').innerText()).trim();
      await page.getByLabel('Buscar por nombre, cuenta o dirección').fill('moneda');
      await rosa.waitFor();
      assert.equal(await stops.count(), 1);
      const navigate = stops.first().getByRole('link', { name: 'Navegar' });
      assert.match(await navigate.getAttribute('href'), /destination=19\.4326%2C-99\.1322/);
      const box = await navigate.boundingBox();
      assert.ok(box.height >= 48, `Navegar is ${box.height} px tall`);

      // Tiles are blocked in these tests, as offline: the numbered markers still show.
      await page.getByRole('button', { name: 'Mapa' }).click();
      await page.locator('.map-pin').first().waitFor();
      assert.equal(await page.locator('.map-pin').count(), 5);
      await page.locator('.map-pin').filter({ hasText: new RegExp(`^${rosaOrder}$`) }).click();
      await page.locator('.leaflet-popup').getByRole('button', { name: 'Visitar' }).click();
      await page.getByRole('heading', { name: 'Rosa Elena Vargas' }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, 'fits 360 px');
    } finally {
      await context.close();
    }
  });

  it('clock-in records and uploads positions', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAgentApp(browser, server);
    const uploads = [];
    context.on('response', (response) => {
      if (response.request().method() === 'POST' && response.url().endsWith('/api/field/positions')) uploads.push(response.status());
    });
    const stopGps = gpsTicking(context, HOME);
    const clockOut = page.getByRole('button', { name: 'Terminar jornada' });
    try {
      await page.getByRole('button', { name: 'Iniciar jornada' }).click();
      await page.getByText('Jornada iniciada: registrando tu ubicación.').waitFor();
      await page.getByText(/Última: .+, ±8 m\./).waitFor();

      // The first fix of a shift goes to the server at once, without waiting for the timer.
      await page.getByRole('link', { name: /Pendientes/ }).click();
      await page.getByText('Todo está enviado.').waitFor();
      assert.ok(uploads.includes(200), `position uploads: ${uploads.join(', ')}`);

      // With nothing left to send, the open shift is what keeps the agent signed in.
      await page.getByText('Termina tu jornada antes de cerrar sesión.').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Cerrar sesión' }).isDisabled(), true);

      // The check-in's own GPS watch runs beside the shift's tracker.
      await page.getByRole('link', { name: 'Mi día' }).click();
      await startVisit(page, 'Juana Pérez Soto');
      await checkIn(page);
      await fillPromise(page);
      await finish(page);
      await waitAllSent(page);

      await page.getByRole('link', { name: 'Mi día' }).click();
      await clockOut.click();
      await page.getByText('Jornada sin iniciar. Tu ubicación no se registra.').waitFor();
      await page.getByRole('button', { name: 'Cerrar sesión' }).click();
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    } finally {
      stopGps();
      // A failure above must not leave the shift open for the tests after this one.
      if (await clockOut.isVisible()) {
        await clockOut.click();
        await page.getByRole('link', { name: /Pendientes/ }).click();
        await page.getByText('Todo está enviado.').waitFor();
      }
      await context.close();
    }
  });

  it('check-in is refused 2 km away, accepted at the address', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAgentApp(browser, server, { at: FAR });
    try {
      await startVisit(page, 'Marco Díaz Ruiz');
      await page.getByRole('button', { name: 'Registrar llegada' }).click();
      const refusal = page.getByRole('alert').filter({ hasText: 'No se pudo registrar la llegada' });
      await refusal.waitFor();
      assert.match(await refusal.innerText(), /Estás a (1\.9|2\.0) km del domicilio; el máximo es \d+ m\./);
      await page.getByRole('button', { name: 'Domicilio no localizado' }).waitFor();
      await page.getByText('Proponer ubicación corregida con foto').waitFor();
      await saveScreenshot(page, 'field-checkin-refused');

      await context.setGeolocation({ latitude: HOME.latitude + 0.001, longitude: HOME.longitude, accuracy: 8 });
      await page.getByRole('button', { name: 'Intentar de nuevo' }).click();
      await page.getByText('Llegada registrada.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('check-in at 22:30 local time is refused for the hour', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAgentApp(browser, server, { serverTime: cdmxToday(22, 30) });
    try {
      await startVisit(page, 'Rosa Elena Vargas');
      await page.getByRole('button', { name: 'Registrar llegada' }).click();
      const refusal = page.getByRole('alert').filter({ hasText: 'No se pudo registrar la llegada' });
      await refusal.waitFor();
      assert.match(await refusal.innerText(), /Son las 22:3\d en el domicilio: solo se visita de 07:00 a 22:00\./);
      assert.equal(await page.getByRole('button', { name: 'Domicilio no localizado' }).count(), 0);
    } finally {
      await context.close();
    }
  });

  it('a reload in the middle of the form keeps every answer', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openAgentApp(browser, server, { at: LUIS });
    try {
      await startVisit(page, 'Luis Ángel Mora');
      await checkIn(page);
      await fillPromise(page);
      await page.locator('#q-notes').fill('Atendió en la puerta; pide llamar el viernes');
      await page.reload();
      await page.getByRole('heading', { name: 'Luis Ángel Mora' }).waitFor();
      await page.locator('#q-notes').waitFor();
      assert.equal(await page.locator('input[name="q-person_met"][value="debtor"]').isChecked(), true);
      assert.equal(await page.locator('#q-promise_amount').inputValue(), '400');
      assert.equal(await page.locator('#q-notes').inputValue(), 'Atendió en la puerta; pide llamar el viernes');
      await page.locator('img.photo-preview').first().waitFor();
    } finally {
      await context.close();
    }
  });

  it('a double tap on finish stores one visit', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page, created } = await openAgentApp(browser, server, { at: CARMEN });
    try {
      await startVisit(page, 'Carmen Ibarra');
      await checkIn(page);
      await fillPromise(page);
      await page.getByRole('button', { name: 'Terminar visita' }).dblclick();
      await page.getByText(/Visita (guardada en el teléfono|recibida por el servidor)/).waitFor();
      const id = visitIdOf(page);
      await waitAllSent(page);
      assert.equal(created.created, 1, `visit PUT statuses: ${created.statuses.join(', ')}`);
      assert.equal((await receipt(page, server, id)).status, 200);
    } finally {
      await context.close();
    }
  });

  it('the server killed during the upload and restarted gets the visit once', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const { context, page, created } = await openAgentApp(browser, server);
    try {
      await context.setOffline(true);
      await startVisit(page, 'Juana Pérez Soto');
      await checkIn(page);
      await fillPromise(page);
      await finish(page);
      const id = visitIdOf(page);

      // The server stores the visit, then dies before its answer leaves.
      let killed = false;
      await context.route(/\/api\/field\/visits\/[0-9a-f-]{36}$/, async (route) => {
        if (killed || route.request().method() !== 'PUT') return route.fallback();
        const response = await route.fetch();
        created.statuses.push(`${response.status()} (lost)`);
        if (response.status() === 201) created.created += 1;
        killed = true;
        await server.kill();
        await route.abort('connectionreset');
      });
      await context.setOffline(false);
      while (!killed) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await receipt(page, server, id).catch(() => ({ status: 0 }))).status, 0, 'server is down');

      await server.start();
      await waitAllSent(page);
      const answer = await receipt(page, server, id);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.status, 'complete');
      assert.ok(created.statuses.includes('201 (lost)'), 'the first PUT was stored and its answer lost');
      assert.equal(created.created, 1, `visit PUT statuses: ${created.statuses.join(', ')}`);
    } finally {
      await context.close();
    }
  });
});

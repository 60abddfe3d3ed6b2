// The whole main job in real Chromium against the real binary: a supervisor
// imports a portfolio through the console and assigns it; an agent's phone
// downloads the day, goes offline, checks in at the address, fills the
// collection form with a photo and a promise to pay, and syncs when back
// online; the visit reaches the supervisor's live feed with a verified verdict;
// the lender's desk gets the email; the contact hours report counts it; and a
// second agent 2 km away is refused at check-in.
//
// Mexico's contact hours (07:00 to 22:00 at the address) decide verdicts, so
// the test runs at noon in Mexico City whatever the real hour: the server runs
// under libfaketime and each browser context under Playwright's clock, both
// set to the same time, and the phones' GPS gives fixes stamped with that clock.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { PHONE, checkIn, fillPromise, finish, startVisit, visitIdOf, waitAllSent } from './helpers/field.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, startServer } from './helpers/server.mjs';
import { startSmtpServer } from './helpers/smtp.mjs';

const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const SUPERVISOR = { email: 'sofia@example.mx', name: 'Sofía Méndez', role: 'supervisor', password: 'supervisa-bien-3' };
const AGENT2 = { email: 'carla@example.mx', name: 'Carla Núñez', role: 'agent', password: 'gestora-norte-4' };
const DESK = 'cobranza@financiera-sol.mx';

// Zócalo, Mexico City, and a point 0.018° of latitude (2.0 km) north of it.
const HOME = { latitude: 19.4326, longitude: -99.1332 };
const FAR = { latitude: 19.4506, longitude: -99.1332 };

const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  `CR-1,Juana Pérez Soto,1500.00,40,Av. 20 de Noviembre 2,Centro,06000,Cuauhtémoc,Ciudad de México,${HOME.latitude},${HOME.longitude}`,
  `CR-2,Marco Díaz Ruiz,800.00,12,República de Brasil 5,Centro,06000,Cuauhtémoc,Ciudad de México,${HOME.latitude},${HOME.longitude}`,
].join('\n');

/** Today's UTC date at 18:00 UTC: noon in Mexico City, which keeps UTC-6 all year. */
function noonInMexicoCity() {
  const day = new Date().toISOString().slice(0, 10);
  return { day, ms: Date.parse(`${day}T18:00:00Z`) };
}

/**
 * Opens a browser context whose clock reads the server's fake time and whose
 * GPS reports `at`, stamped with that clock as a phone's fix is.
 */
async function fakeTimeContext(browser, server, options, at) {
  const { context, page } = await newPage(browser, options);
  await context.clock.install({ time: Date.now() + server.clockOffsetMs });
  if (at) {
    await context.grantPermissions(['geolocation']);
    await context.addInitScript((point) => {
      const position = () => ({
        coords: { ...point, accuracy: 8, altitude: null, altitudeAccuracy: null, heading: null, speed: null },
        timestamp: Date.now(),
      });
      const watches = new Map();
      let next = 1;
      const geolocation = {
        getCurrentPosition(success) {
          setTimeout(() => success(position()), 100);
        },
        watchPosition(success) {
          const id = next++;
          setTimeout(() => success(position()), 100);
          watches.set(id, setInterval(() => success(position()), 2_000));
          return id;
        },
        clearWatch(id) {
          clearInterval(watches.get(id));
          watches.delete(id);
        },
      };
      Object.defineProperty(Navigator.prototype, 'geolocation', { get: () => geolocation, configurable: true });
    }, at);
  }
  await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
  return { context, page };
}

async function expectOk(response, what) {
  assert.ok(response.ok(), `${what}: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** Points the organization's email at the loopback SMTP listener and adds the lender desk's rule. */
async function configureEmail(baseUrl, smtp) {
  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  try {
    const session = await expectOk(await api.post('/api/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } }), 'login');
    const headers = { 'X-CSRF-Token': session.csrf_token };
    await expectOk(
      await api.put('/api/notifications/smtp', {
        headers,
        data: { host: smtp.host, port: smtp.port, security: 'none', from_address: 'Despacho Norte <avisos@norte.mx>' },
      }),
      'SMTP settings',
    );
    await expectOk(
      await api.post('/api/notifications/rules', {
        headers,
        data: { name: 'Mesa de cobranza', event_kinds: ['visit.completed'], recipients: [DESK] },
      }),
      'rule',
    );
    await expectOk(await api.post('/api/forms/templates/visita_cobranza', { headers }), 'collection form');
  } finally {
    await api.dispose();
  }
}

describe('main job', () => {
  let server;
  let browser;
  let smtp;
  let fileDir;
  let csvPath;
  const noon = noonInMexicoCity();

  before(async () => {
    assert.ok(existsSync(FAKETIME_LIB), `libfaketime is missing at ${FAKETIME_LIB}: install Debian's faketime`);
    server = await startServer({
      extraUsers: [SUPERVISOR, AGENT, AGENT2],
      env: {
        TZ: 'UTC',
        LD_PRELOAD: FAKETIME_LIB,
        FAKETIME: `@${noon.day} 18:00:00`,
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
      },
    });
    const health = await fetch(`${server.baseUrl}/healthz`);
    server.clockOffsetMs = Date.parse(health.headers.get('date')) - Date.now();
    assert.ok(Math.abs(Date.now() + server.clockOffsetMs - noon.ms) < 120_000, 'the server runs at noon in Mexico City');
    smtp = await startSmtpServer();
    await configureEmail(server.baseUrl, smtp);
    browser = await launchBrowser();
    fileDir = await mkdtemp(join(tmpdir(), 'ronda-main-job-'));
    csvPath = join(fileDir, 'cartera-sol.csv');
    await writeFile(csvPath, `${CSV}\n`);
  });

  after(async () => {
    await browser?.close();
    await smtp?.close();
    await server?.stop();
    if (fileDir) await rm(fileDir, { recursive: true, force: true });
  });

  it('import, assign, visit offline, see it live, email and report', { timeout: TEST_TIMEOUT_MS * 4 }, async () => {
    const wide = { viewport: { width: 1280, height: 900 } };
    const { context: office, page: officePage } = await fakeTimeContext(browser, server, wide, null);
    try {
      // The supervisor imports the lender's file through the console.
      await officePage.goto(`${server.baseUrl}/#/accounts`);
      await fillLogin(officePage, SUPERVISOR.email, SUPERVISOR.password);
      const lenders = officePage.getByRole('region', { name: 'Otorgantes y carteras' });
      await lenders.getByLabel('Nombre del otorgante').fill('Financiera Sol');
      await lenders.getByRole('button', { name: 'Crear otorgante' }).click();
      await officePage.getByText('Se creó el otorgante Financiera Sol.').waitFor();
      await lenders.getByLabel('Nombre de la cartera').fill('Diciembre');
      await lenders.getByRole('button', { name: 'Crear cartera' }).click();
      await officePage.getByText('Se creó la cartera Diciembre de Financiera Sol.').waitFor();
      await officePage.getByRole('button', { name: 'Importar cartera' }).click();
      await officePage.getByLabel('Cartera de destino').selectOption({ label: 'Financiera Sol · Diciembre' });
      await officePage.getByLabel('Archivo CSV o Excel (.xlsx)').setInputFiles(csvPath);
      await officePage.getByText('cartera-sol.csv: 2 filas de datos, encabezados en la fila 1.').waitFor();
      await officePage.getByRole('button', { name: 'Continuar' }).click();
      await officePage.getByRole('button', { name: 'Revisar sin importar' }).click();
      await officePage.getByText('Revisión terminada. Todavía no se guardó nada.').waitFor();
      await officePage.getByRole('button', { name: 'Importar', exact: true }).click();
      await officePage.getByRole('heading', { name: 'Paso 4 de 4: Importación' }).waitFor();
      await officePage.getByRole('button', { name: 'Ver las cuentas de la cartera' }).click();

      // It assigns CR-1 to Beto and CR-2 to Carla from the account list.
      const list = officePage.getByRole('region', { name: 'Lista de cuentas' });
      await list.getByText('Cuentas 1 a 2 de 2').waitFor();
      for (const [account, agent] of [['CR-1', AGENT], ['CR-2', AGENT2]]) {
        await list.getByLabel(`Seleccionar la cuenta ${account}`).check();
        await list.getByLabel('Gestor', { exact: true }).selectOption({ label: agent.name });
        await list.getByRole('button', { name: 'Asignar (1)' }).click();
        await list.getByText(`Listo: 1 asignadas, 0 reasignadas y 0 sin cambio para ${agent.name}`).waitFor();
      }
      await saveScreenshot(officePage, 'main-job-assigned');

      // The supervisor watches today's feed while the agent works.
      await officePage.goto(`${server.baseUrl}/#/today`);
      await officePage.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();

      const { context: phone, page: app } = await fakeTimeContext(browser, server, PHONE, HOME);
      try {
        await app.goto(`${server.baseUrl}/app/`);
        await fillLogin(app, AGENT.email, AGENT.password);
        await app.getByText('Listo para trabajar sin conexión').waitFor({ timeout: 20_000 });
        await phone.setOffline(true);
        await app.getByText('Sin conexión.').first().waitFor();
        await startVisit(app, 'Juana Pérez Soto');
        await checkIn(app);
        await fillPromise(app);
        await finish(app);
        const visitId = visitIdOf(app);
        await phone.setOffline(false);
        await waitAllSent(app);

        // The visit arrives in the live feed, verified, and opens on its evidence page.
        const entry = officePage.locator('.live-feed__item--visit-completed').filter({ hasText: 'CR-1' });
        await entry.getByRole('link', { name: 'Ver evidencia' }).click();
        await officePage.waitForURL(new RegExp(`#/visits/${visitId}`));
        await officePage.locator('.verdict-badge--verified').getByText('Verificada').waitFor();
        await saveScreenshot(officePage, 'main-job-visit');

        // The lender's desk gets the email.
        const email = await smtp.waitForMessage((message) => message.recipients.includes(DESK), 30_000);
        assert.equal(email.subject, 'Visita terminada: Juana Pérez Soto · Promesa de pago');
        assert.match(email.text ?? '', /Registro \(check-in\): verificado/);
      } finally {
        await phone.close();
      }

      // The report counts it at noon of today's weekday in Mexico City.
      const weekday = ((new Date(noon.ms).getUTCDay() + 6) % 7) + 1;
      const names = ['Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado', 'Domingo'];
      const report = await (
        await officePage.request.get(`${server.baseUrl}/api/reports/contact-hours?from=${noon.day}&to=${noon.day}`)
      ).json();
      assert.equal(report.attempts, 1, JSON.stringify(report));
      assert.deepEqual(
        report.cells.map((cell) => [cell.weekday, cell.hour, cell.successes]),
        [[weekday, 12, 1]],
      );
      await officePage.goto(`${server.baseUrl}/#/reports`);
      await officePage.getByLabel('Desde').fill(noon.day);
      await officePage.getByLabel('Hasta').fill(noon.day);
      const row = officePage.locator('.reports__table tbody tr').first();
      await row.waitFor();
      assert.equal(await row.locator('th').innerText(), names[weekday - 1]);
      assert.equal(await row.locator('td').first().innerText(), '12:00–13:00');
    } finally {
      await office.close();
    }

    // Carla is 2 km from her account, so her check-in is rejected.
    const { context: far, page: farApp } = await fakeTimeContext(browser, server, PHONE, FAR);
    try {
      await farApp.goto(`${server.baseUrl}/app/`);
      await fillLogin(farApp, AGENT2.email, AGENT2.password);
      await farApp.getByText('Listo para trabajar sin conexión').waitFor({ timeout: 20_000 });
      await startVisit(farApp, 'Marco Díaz Ruiz');
      await farApp.getByRole('button', { name: 'Registrar llegada' }).click();
      await farApp.getByText('No se pudo registrar la llegada:').waitFor();
      await farApp.getByText(/Estás a 2(\.0)? km del domicilio/).waitFor();
      await saveScreenshot(farApp, 'main-job-refused');
    } finally {
      await far.close();
    }
  });
});

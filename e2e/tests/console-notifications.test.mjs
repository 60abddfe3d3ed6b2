// Notification screens of the console against the real binary. A supervisor
// creates an email rule. An admin points SMTP at an SMTP server that this file
// runs on loopback, sends a test email and adds a webhook to a loopback HTTP
// receiver. An agent then sends a visit from the field app, and the test reads
// the rule's email, checks the webhook's HMAC signature, finds both deliveries
// in the console and the visit, with its evidence link, on the live feed. A
// viewer sees the same screens and cannot change them.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, startServer } from './helpers/server.mjs';
import { startSmtpServer } from './helpers/smtp.mjs';

const SUPERVISOR = { email: 'sofia@example.mx', name: 'Sofía Méndez', role: 'supervisor', password: 'supervisa-rutas-3' };
const VIEWER = { email: 'victor@example.mx', name: 'Víctor Nava', role: 'viewer', password: 'solo-consulta-44' };

const RULE_NAME = 'Visitas de Financiera Sol';
const RULE_RECIPIENT = 'cobranza@despacho.mx';
const SMTP_USER = 'avisos';
const SMTP_PASSWORD = 'clave-smtp-de-prueba';
const SMTP_FROM = 'Despacho Norte <avisos@despacho.mx>';
const WEBHOOK_NAME = 'ERP del despacho';
const DEBTOR = 'Juana Pérez Soto';

/** The dispatcher looks for new events every 2 s, and a visit counts as completed only once its photo is uploaded. */
const DELIVERY_TIMEOUT_MS = 30_000;
/** Emulated phone for the field app. */
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
// Zócalo, Mexico City, where the only seeded debtor lives (UTC-6 all year).
const HOME = { latitude: 19.4326, longitude: -99.1332 };
const CDMX_OFFSET_H = -6;

const CSV = [
  'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  `CR-1,${DEBTOR},1500.00,40,Av. 20 de Noviembre,2,Centro,06000,Cuauhtémoc,Ciudad de México,${HOME.latitude},${HOME.longitude}`,
].join('\n');
const MAPPING = [
  'lender_account_id', 'debtor_name', 'overdue_amount', 'days_past_due', 'street', 'exterior_number',
  'colonia', 'postal_code', 'municipality', 'state', 'latitude', 'longitude',
];

/** Starts an HTTP server on loopback that records every request and responds 200. */
async function startWebhookReceiver() {
  const requests = [];
  const waiters = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const received = { method: request.method, path: request.url, headers: request.headers, body: Buffer.concat(chunks) };
      requests.push(received);
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('recibido');
      for (const waiter of waiters.splice(0)) waiter(received);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/hooks/ronda`;

  const waitForRequest = async (timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    while (requests.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the webhook receiver got no request within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return requests[0];
  };
  const close = () => new Promise((resolve) => server.close(resolve));
  return { url, requests, waitForRequest, close };
}

/** Returns a loopback port where nothing listens. */
function closedPort() {
  return new Promise((resolve, reject) => {
    const probe = createTcpServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function expectOk(response, what) {
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

/** Creates a lender with one account assigned to the agent and publishes the collection form. */
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

/** Unix ms of noon today in Mexico City, inside the hours when visits are allowed. */
function cdmxNoon() {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12 - CDMX_OFFSET_H, 0);
}

/**
 * Sends one visit from the field app: the agent checks in at the debtor's door,
 * records a promise to pay with a photo of the facade, and waits until the
 * server has it all. The day package's server_time is set to noon in Mexico
 * City, so the check-in passes the visiting hours whenever the test runs.
 * Returns the visit id.
 */
async function sendVisitFromFieldApp(browser, baseUrl) {
  const { context, page } = await newPage(browser, { ...PHONE, geolocation: { ...HOME, accuracy: 8 }, permissions: ['geolocation'] });
  try {
    await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
    await context.route('**/api/field/day', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.server_time = cdmxNoon();
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${baseUrl}/app/`);
    await fillLogin(page, AGENT.email, AGENT.password);
    await page.getByRole('heading', { name: 'Mi día' }).waitFor();
    await page.getByText('Descargado el').waitFor();

    await page.getByRole('listitem').filter({ hasText: DEBTOR }).getByRole('button', { name: 'Visitar' }).click();
    await page.getByRole('heading', { name: DEBTOR }).waitFor();
    await page.getByRole('button', { name: 'Registrar llegada' }).click();
    await page.getByText('Llegada registrada.').waitFor();

    await page.locator('input[name="q-person_met"][value="debtor"]').check();
    await page.locator('#q-disclosure_ack').check();
    await page.locator('input[name="q-result_code"][value="PTP"]').check();
    await page.locator('#q-promise_amount').fill('400');
    await page.locator('#q-promise_date').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    await page.locator('input[name="q-promise_channel"][value="convenience_store"]').check();
    const photo = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 480;
      const drawing = canvas.getContext('2d');
      drawing.fillStyle = '#7a9';
      drawing.fillRect(0, 0, 640, 480);
      return canvas.toDataURL('image/jpeg', 0.8).split(',')[1];
    });
    await page.locator('#q-facade_photo').setInputFiles({ name: 'fachada.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo, 'base64') });
    await page.locator('img.photo-preview').first().waitFor();

    await page.getByRole('button', { name: 'Terminar visita' }).click();
    await page.getByText(/Visita (guardada en el teléfono|recibida por el servidor)/).waitFor();
    const match = /#\/visita\/([0-9a-f-]{36})/.exec(page.url());
    assert.ok(match, `visit id in ${page.url()}`);
    await page.goto(`${page.url().split('#')[0]}#/pendientes`);
    await page.getByText('Todo está enviado.').waitFor({ timeout: DELIVERY_TIMEOUT_MS });
    return match[1];
  } finally {
    await context.close();
  }
}

async function openNotifications(browser, baseUrl, user) {
  const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/`);
  await fillLogin(page, user.email, user.password);
  await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Configuración', exact: true }).click();
  await page.getByRole('heading', { name: 'Notificaciones', level: 2 }).waitFor();
  return { context, page };
}

/** Polls a JSON list from the API until `found` returns a matching item. */
async function pollApi(page, url, pick, found, what) {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  let last = null;
  while (Date.now() < deadline) {
    const response = await page.request.get(url);
    assert.equal(response.status(), 200, `GET ${url}`);
    last = pick(await response.json());
    const match = last.find(found);
    if (match !== undefined) return match;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} not found within ${DELIVERY_TIMEOUT_MS} ms; last list: ${JSON.stringify(last)}`);
}

/** Returns `v1=` and the hex HMAC-SHA256 of `{timestamp}.{body}`, as Ronda signs webhooks. */
function expectedSignature(secret, timestamp, body) {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

describe('console notifications', () => {
  let server;
  let browser;
  let smtp;
  let receiver;
  /** Filled by the webhook test and read by the viewer test. */
  const shared = { webhookId: '', visitId: '' };

  before(async () => {
    smtp = await startSmtpServer();
    receiver = await startWebhookReceiver();
    server = await startServer({ extraUsers: [AGENT, SUPERVISOR, VIEWER] });
    await seed(server.baseUrl);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
    await smtp?.close();
  });

  it('supervisor creates an email rule', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openNotifications(browser, server.baseUrl, SUPERVISOR);
    try {
      const rules = page.getByRole('region', { name: 'Reglas de correo' });
      await rules.getByText('Aún no hay reglas.').waitFor();
      const form = rules.locator('form').filter({ has: page.getByRole('heading', { name: 'Nueva regla' }) });

      await form.getByRole('button', { name: 'Crear regla' }).click();
      await form.getByRole('alert').filter({ hasText: 'Escribe un nombre, elige al menos un evento' }).waitFor();

      await form.getByLabel('Nombre').fill(RULE_NAME);
      assert.equal(await form.getByRole('checkbox', { name: 'Visita terminada' }).isChecked(), true, 'visit.completed is the default event');
      await form.getByLabel('Destinatarios').fill('cobranza@');
      await form.getByRole('button', { name: 'Crear regla' }).click();
      // The server's message names the invalid recipient.
      await form.getByRole('alert').filter({ hasText: 'recipients[0]' }).waitFor();

      await form.getByLabel('Destinatarios').fill(RULE_RECIPIENT);
      await form.getByLabel('Otorgante').selectOption({ label: 'Financiera Sol' });
      await form.getByRole('button', { name: 'Crear regla' }).click();
      const row = rules.getByRole('row').filter({ hasText: RULE_NAME });
      await row.waitFor();
      assert.match(await row.innerText(), /Visita terminada/);
      assert.match(await row.innerText(), /Otorgante: Financiera Sol/);
      assert.match(await row.innerText(), new RegExp(RULE_RECIPIENT));
      assert.equal(await form.getByLabel('Nombre').inputValue(), '', 'the form is cleared after saving');

      // Supervisors manage rules; SMTP and webhooks belong to admins.
      const smtpPanel = page.getByRole('region', { name: 'Servidor de correo (SMTP)' });
      await smtpPanel.getByText('No hay servidor de correo').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Guardar servidor' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: 'Agregar webhook' }).count(), 0);
      await saveScreenshot(page, 'console-notifications-rules');
    } finally {
      await context.close();
    }
  });

  it('admin sets SMTP and sends a test email', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openNotifications(browser, server.baseUrl, ADMIN);
    try {
      const panel = page.getByRole('region', { name: 'Servidor de correo (SMTP)' });
      const form = panel.locator('form').filter({ has: page.getByRole('button', { name: 'Guardar servidor' }) });
      await form.locator('input[name="host"]').fill('127.0.0.1');
      await form.locator('input[name="port"]').fill('0');
      await form.locator('select[name="security"]').selectOption('none');
      await form.locator('input[name="from"]').fill(SMTP_FROM);
      await form.getByRole('button', { name: 'Guardar servidor' }).click();
      await form.getByRole('alert').filter({ hasText: 'un puerto de 1 a 65535' }).waitFor();

      // First a port where nothing listens: the test email must fail with the reason.
      await form.locator('input[name="port"]').fill(String(await closedPort()));
      await form.getByRole('button', { name: 'Guardar servidor' }).click();
      await form.getByText('Servidor de correo guardado.').waitFor();
      const test = panel.locator('form').filter({ has: page.getByRole('button', { name: 'Enviar correo de prueba' }) });
      await test.locator('input[name="test-to"]').fill(ADMIN.email);
      await test.getByRole('button', { name: 'Enviar correo de prueba' }).click();
      const failure = test.getByRole('alert');
      await failure.waitFor({ timeout: DELIVERY_TIMEOUT_MS });
      assert.match(await failure.innerText(), /No se pudo enviar el correo de prueba/);
      assert.equal(smtp.messages.length, 0);

      await form.locator('input[name="port"]').fill(String(smtp.port));
      await form.locator('input[name="username"]').fill(SMTP_USER);
      await form.locator('input[name="password"]').fill(SMTP_PASSWORD);
      await form.getByRole('button', { name: 'Guardar servidor' }).click();
      await form.getByText('Servidor de correo guardado.').waitFor();
      await form.getByText('Hay una contraseña guardada').waitFor();
      assert.equal(await form.locator('input[name="password"]').inputValue(), '', 'the password field is cleared after saving');

      await test.getByRole('button', { name: 'Enviar correo de prueba' }).click();
      await test.getByText(`Correo de prueba enviado a ${ADMIN.email}.`).waitFor({ timeout: DELIVERY_TIMEOUT_MS });
      const message = await smtp.waitForMessage((item) => item.recipients.includes(ADMIN.email));
      assert.equal(message.subject, 'Ronda: correo de prueba');
      assert.equal(message.from, 'avisos@despacho.mx');
      assert.match(message.headers.get('from'), /avisos@despacho\.mx/);
      assert.match(message.headers.get('to'), new RegExp(ADMIN.email));
      assert.deepEqual(message.auth, { username: SMTP_USER, password: SMTP_PASSWORD });
      assert.ok(message.text !== null, 'the email has a plain text part');
      assert.match(message.text, /Correo de prueba de Ronda/);
      await saveScreenshot(page, 'console-notifications-smtp');

      // After a reload the form shows the stored settings, never the password.
      await page.reload();
      await page.getByRole('heading', { name: 'Notificaciones', level: 2 }).waitFor();
      await panel.getByText('Los correos salen por el servidor de la organización.').waitFor();
      assert.equal(await form.locator('input[name="port"]').inputValue(), String(smtp.port));
      assert.equal(await form.locator('input[name="password"]').inputValue(), '');
    } finally {
      await context.close();
    }
  });

  it('webhook delivery is signed and logged', { timeout: 3 * TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openNotifications(browser, server.baseUrl, ADMIN);
    try {
      const panel = page.getByRole('region', { name: 'Webhooks' });
      await panel.getByText('Aún no hay webhooks.').waitFor();
      const form = panel.locator('form').filter({ has: page.getByRole('heading', { name: 'Nuevo webhook' }) });
      await form.locator('input[name="webhook-name"]').fill(WEBHOOK_NAME);
      await form.locator('input[name="webhook-url"]').fill('ftp://127.0.0.1/ronda');
      await form.getByRole('button', { name: 'Agregar webhook' }).click();
      const rejection = form.getByRole('alert');
      await rejection.waitFor();
      assert.match(await rejection.innerText(), /«url» debe ser una dirección http:\/\/ o https:\/\//);

      await form.locator('input[name="webhook-url"]').fill(receiver.url);
      await form.getByRole('button', { name: 'Agregar webhook' }).click();
      const secretCard = panel.locator('.notify-secret');
      await secretCard.getByText(`Clave para verificar la firma de «${WEBHOOK_NAME}»`).waitFor();
      const secret = (await secretCard.locator('code').innerText()).trim();
      assert.ok(secret.length >= 32, `secret of ${secret.length} characters`);
      await secretCard.getByRole('button', { name: 'Ya la copié' }).click();
      const row = panel.getByRole('row').filter({ hasText: WEBHOOK_NAME });
      await row.getByRole('cell', { name: receiver.url }).waitFor();
      const webhooks = await (await page.request.get(`${server.baseUrl}/api/webhooks`)).json();
      shared.webhookId = webhooks.webhooks.find((webhook) => webhook.name === WEBHOOK_NAME).id;

      // A second console tab on "Hoy" receives the visit on the live feed.
      const today = await context.newPage();
      await today.goto(`${server.baseUrl}/`);
      await today.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      await today.locator('.live-feed__connection').getByText('En vivo', { exact: true }).waitFor();

      shared.visitId = await sendVisitFromFieldApp(browser, server.baseUrl);

      const feedItem = today.locator('.live-feed__item').filter({ hasText: 'Visita terminada' });
      await feedItem.waitFor({ timeout: DELIVERY_TIMEOUT_MS });
      assert.match(await feedItem.innerText(), new RegExp(DEBTOR));
      const evidence = feedItem.getByRole('link', { name: 'Ver evidencia' });
      assert.equal(await evidence.getAttribute('href'), `#/visits/${shared.visitId}`);
      await today.close();

      // The request that reached the receiver, and its signature under the secret.
      const request = await receiver.waitForRequest(DELIVERY_TIMEOUT_MS);
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/hooks/ronda');
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['x-ronda-event'], 'visit.completed');
      const timestamp = request.headers['x-ronda-timestamp'];
      assert.match(timestamp, /^\d+$/);
      assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 300, `timestamp ${timestamp} is current`);
      assert.equal(request.headers['x-ronda-signature'], expectedSignature(secret, timestamp, request.body));
      assert.notEqual(request.headers['x-ronda-signature'], expectedSignature(`${secret}x`, timestamp, request.body));
      const body = JSON.parse(request.body.toString('utf8'));
      assert.equal(body.kind, 'visit.completed');
      assert.equal(body.data.visit_id, shared.visitId);
      assert.equal(body.data.account.debtor_name, DEBTOR);
      assert.equal(body.data.agent.name, AGENT.name);
      assert.equal(body.data.result_code, 'PTP');

      // The rule's email went out through the same SMTP server.
      const email = await smtp.waitForMessage((item) => item.recipients.includes(RULE_RECIPIENT), DELIVERY_TIMEOUT_MS);
      assert.equal(email.subject, `Visita terminada: ${DEBTOR} · Promesa de pago`);
      assert.match(email.text ?? '', new RegExp(AGENT.name));

      // The log shows the delivery once the dispatcher has stored the receiver's response.
      const delivery = await pollApi(
        page,
        `${server.baseUrl}/api/webhooks/${shared.webhookId}/deliveries`,
        (json) => json.deliveries,
        (item) => item.state === 'sent',
        'sent webhook delivery',
      );
      assert.equal(request.headers['x-ronda-delivery'], delivery.id);
      await pollApi(
        page,
        `${server.baseUrl}/api/notifications/deliveries`,
        (json) => json.deliveries,
        (item) => item.recipient === RULE_RECIPIENT && item.state === 'sent',
        'sent email delivery',
      );
      await page.reload();
      await page.getByRole('heading', { name: 'Notificaciones', level: 2 }).waitFor();
      const emails = page.getByRole('region', { name: 'Correos enviados' });
      const emailRow = emails.getByRole('row').filter({ hasText: RULE_RECIPIENT });
      await emailRow.waitFor();
      assert.match(await emailRow.innerText(), /Visita terminada/);
      assert.match(await emailRow.innerText(), /Enviado/);

      await row.getByRole('button', { name: 'Ver entregas' }).click();
      const log = page.getByRole('table', { name: `Entregas de ${WEBHOOK_NAME}` });
      const logRow = log.getByRole('row').filter({ hasText: 'Visita terminada' });
      await logRow.waitFor();
      const cells = await logRow.getByRole('cell').allInnerTexts();
      assert.equal(cells[2], 'Enviado', `state cell of ${JSON.stringify(cells)}`);
      assert.equal(cells[3], '1', 'attempts');
      assert.equal(cells[4], '200', 'HTTP status');
      await logRow.getByRole('button', { name: 'Ver intentos' }).click();
      const attempts = page.getByRole('list', { name: 'Ver intentos' });
      await attempts.getByText('HTTP 200').waitFor();
      assert.match(await attempts.innerText(), /recibido/, 'the response excerpt');
      await saveScreenshot(page, 'console-notifications-webhook-log');
    } finally {
      await context.close();
    }
  });

  it('viewer sees the screens and cannot change them', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openNotifications(browser, server.baseUrl, VIEWER);
    try {
      await page.getByText('Tu rol puede consultar esta página, pero no cambiarla.').waitFor();
      await page.getByRole('region', { name: 'Reglas de correo' }).getByRole('row').filter({ hasText: RULE_NAME }).waitFor();
      const smtpSummary = page.getByRole('region', { name: 'Servidor de correo (SMTP)' }).locator('dl');
      await smtpSummary.getByText('127.0.0.1').waitFor();
      assert.match(await smtpSummary.innerText(), new RegExp(String(smtp.port)));
      assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(SMTP_PASSWORD), 'the password is never shown');
      await page.getByRole('region', { name: 'Correos enviados' }).getByRole('row').filter({ hasText: RULE_RECIPIENT }).waitFor();

      const webhookRow = page.getByRole('region', { name: 'Webhooks' }).getByRole('row').filter({ hasText: WEBHOOK_NAME });
      await webhookRow.getByRole('button', { name: 'Ver entregas' }).click();
      await page.getByRole('table', { name: `Entregas de ${WEBHOOK_NAME}` }).getByText('Enviado').waitFor();

      for (const name of ['Crear regla', 'Guardar servidor', 'Enviar correo de prueba', 'Agregar webhook', 'Eliminar', 'Reintentar']) {
        assert.equal(await page.getByRole('button', { name }).count(), 0, `no "${name}" button for a viewer`);
      }
      assert.equal(await page.locator('main form').count(), 0, 'no forms for a viewer');
      await saveScreenshot(page, 'console-notifications-viewer');

      // The server rejects the same changes sent directly with the viewer's session.
      const session = await (await page.request.get(`${server.baseUrl}/api/session`)).json();
      const headers = { 'X-CSRF-Token': session.csrf_token };
      const base = server.baseUrl;
      const writes = [
        ['POST /api/notifications/rules', () => page.request.post(`${base}/api/notifications/rules`, {
          headers,
          data: { name: 'Otra', event_kinds: ['visit.completed'], lender_id: null, portfolio_id: null, agent_id: null, result_codes: [], recipients: ['x@example.mx'], language: 'es' },
        })],
        ['PUT /api/notifications/smtp', () => page.request.put(`${base}/api/notifications/smtp`, {
          headers,
          data: { host: '127.0.0.1', port: 2525, security: 'none', username: null, from_address: 'x@example.mx' },
        })],
        ['POST /api/notifications/smtp/test', () => page.request.post(`${base}/api/notifications/smtp/test`, { headers, data: { to: 'x@example.mx' } })],
        ['POST /api/webhooks', () => page.request.post(`${base}/api/webhooks`, {
          headers,
          data: { name: 'Otro', url: 'http://127.0.0.1:9/x', kinds: ['visit.completed'] },
        })],
        ['DELETE /api/webhooks/{id}', () => page.request.delete(`${base}/api/webhooks/${shared.webhookId}`, { headers })],
      ];
      for (const [what, send] of writes) {
        const response = await send();
        assert.equal(response.status(), 403, `${what} as viewer: ${await response.text()}`);
      }
      const rules = await (await page.request.get(`${base}/api/notifications/rules`)).json();
      assert.deepEqual(rules.rules.map((rule) => rule.name), [RULE_NAME]);
      const webhooks = await (await page.request.get(`${base}/api/webhooks`)).json();
      assert.deepEqual(webhooks.webhooks.map((webhook) => webhook.name), [WEBHOOK_NAME]);
      const smtpView = await (await page.request.get(`${base}/api/notifications/smtp`)).json();
      assert.equal(smtpView.port, smtp.port);
      assert.equal(smtp.messages.filter((item) => item.recipients.includes('x@example.mx')).length, 0);
    } finally {
      await context.close();
    }
  });
});

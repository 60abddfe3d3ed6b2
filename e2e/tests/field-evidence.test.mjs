// Evidence from the field app, checked on the server. A camera-sized photo is
// scaled down on the phone to the form's limit. A signature drawn with the
// finger arrives with the visit. A corrected pin proposed with a photo waits
// for a supervisor. The visit screen shows the lender's payment references and
// the phones to call, and a visit opened by mistake leaves nothing pending.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request as playwrightRequest } from 'playwright-core';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { PHONE, checkIn, choose, finish, startVisit, visitIdOf, waitAllSent } from './helpers/field.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, startServer } from './helpers/server.mjs';

// Plaza de Santo Domingo, Mexico City (UTC-6 all year).
const ADDRESS = { latitude: 19.4365, longitude: -99.1337 };
// About 2.2 km south of it: far enough for the check-in to be refused.
const AWAY = { latitude: 19.4165, longitude: -99.1337 };

const LENDER = {
  name: 'Crédito Amigo',
  payment_references: ['OXXO 9876 5432', 'CLABE 012180009876543210'],
  collection_phones: ['800 555 0101'],
};

const CSV = [
  'No. de crédito,Nombre del cliente,Teléfono,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud',
  `EV-1,Sofía Luna Reyes,55 4433 2211,2100.00,30,República de Cuba,41,Centro,06010,Cuauhtémoc,Ciudad de México,${ADDRESS.latitude},${ADDRESS.longitude}`,
  `EV-2,Tomás Rivera Gil,5566778899,700.00,15,República de Chile,12,Centro,06010,Cuauhtémoc,Ciudad de México,${ADDRESS.latitude + 0.0008},${ADDRESS.longitude}`,
  `EV-3,Elena Cruz Páez,,300.00,8,Belisario Domínguez,20,Centro,06010,Cuauhtémoc,Ciudad de México,${ADDRESS.latitude},${ADDRESS.longitude + 0.0008}`,
].join('\n');
const MAPPING = [
  'lender_account_id', 'debtor_name', 'phone', 'overdue_amount', 'days_past_due', 'street', 'exterior_number',
  'colonia', 'postal_code', 'municipality', 'state', 'latitude', 'longitude',
];

/** Width and height from a JPEG's start-of-frame segment. */
function jpegSize(bytes) {
  assert.equal(bytes.readUInt16BE(0), 0xffd8, 'JPEG start marker');
  let at = 2;
  while (at + 9 < bytes.length) {
    assert.equal(bytes[at], 0xff, `JPEG marker at ${at}`);
    const marker = bytes[at + 1];
    const frame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (frame) return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  throw new Error('no start-of-frame segment in the JPEG');
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'PNG signature');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Draws a 4000×3000 JPEG on the browser's canvas, the size a 12 MP camera hands over. */
async function bigCameraPhoto(page, name) {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 4000;
    canvas.height = 3000;
    const context = canvas.getContext('2d');
    const gradient = context.createLinearGradient(0, 0, 4000, 3000);
    gradient.addColorStop(0, '#c96');
    gradient.addColorStop(1, '#369');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 4000, 3000);
    context.fillStyle = '#fff';
    context.fillRect(1000, 800, 2000, 1400);
    return canvas.toDataURL('image/jpeg', 0.92).split(',')[1];
  });
  const buffer = Buffer.from(base64, 'base64');
  assert.deepEqual(jpegSize(buffer), { width: 4000, height: 3000 }, 'the test photo is camera-sized');
  return { name, mimeType: 'image/jpeg', buffer };
}

async function ok(response, request) {
  assert.ok(response.ok(), `${request}: HTTP ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

/** Opens an API client signed in as the admin. */
async function adminApi(baseURL) {
  const api = await playwrightRequest.newContext({ baseURL });
  const session = await ok(await api.post('/api/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } }), 'login');
  return { api, headers: { 'X-CSRF-Token': session.csrf_token } };
}

async function seed(baseURL) {
  const { api, headers } = await adminApi(baseURL);
  try {
    const lender = await ok(await api.post('/api/lenders', { headers, data: LENDER }), 'lender');
    const portfolio = await ok(await api.post('/api/portfolios', { headers, data: { lender_id: lender.id, name: 'Evidencias' } }), 'portfolio');
    await ok(
      await api.post('/api/imports', {
        headers,
        multipart: {
          file: { name: 'evidencias.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') },
          portfolio_id: String(portfolio.id),
          mapping: JSON.stringify(MAPPING),
          dry_run: 'false',
        },
      }),
      'import',
    );
    const accounts = await ok(await api.get(`/api/accounts?portfolio_id=${portfolio.id}&page=1&per_page=50`), 'accounts');
    const users = await ok(await api.get('/api/users'), 'users');
    const agent = users.users.find((user) => user.email === AGENT.email);
    await ok(
      await api.post('/api/assignments', { headers, data: { agent_id: String(agent.id), account_ids: accounts.accounts.map((a) => String(a.id)) } }),
      'assign',
    );
    await ok(await api.post('/api/forms/templates/visita_cobranza', { headers }), 'collection form');
  } finally {
    await api.dispose();
  }
}

/** Unix ms of noon today in Mexico City, so the check-in falls inside the contact hours. */
function middayInMexicoCity() {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 18, 0);
}

async function openApp(browser, baseUrl, at) {
  const { context, page } = await newPage(browser, { ...PHONE, geolocation: { ...at, accuracy: 8 }, permissions: ['geolocation'] });
  await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
  // The app measures its clock offset from server_time: pinning it puts the visit at noon.
  await context.route('**/api/field/day', async (route) => {
    const response = await route.fetch();
    const day = await response.json();
    day.server_time = middayInMexicoCity();
    await route.fulfill({ response, json: day });
  });
  await page.goto(`${baseUrl}/app/`);
  await fillLogin(page, AGENT.email, AGENT.password);
  await page.getByRole('heading', { name: 'Mi día' }).waitFor();
  await page.getByText('Descargado el').waitFor();
  return { context, page };
}

/** Draws a stroke across the signature pad with the pointer, then saves it. */
async function sign(page, question) {
  const pad = page.locator(`#q-${question}`);
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let step = 1; step <= 12; step++) {
    await page.mouse.move(box.x + 20 + step * ((box.width - 40) / 12), box.y + box.height / 2 + (step % 2 ? -20 : 20));
  }
  await page.mouse.up();
  await page.getByRole('button', { name: 'Guardar firma' }).click();
  // The stored signature shows as a preview above the pad.
  await page.locator(`img.photo-preview ~ .signature #q-${question}`).waitFor();
}

describe('field evidence', () => {
  let server;
  let browser;
  let admin;

  before(async () => {
    server = await startServer({ extraUsers: [AGENT] });
    await seed(server.baseUrl);
    browser = await launchBrowser();
    admin = await adminApi(server.baseUrl);
  });

  after(async () => {
    await admin?.api.dispose();
    await browser?.close();
    await server?.stop();
  });

  it('a visit opened by mistake leaves nothing pending', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openApp(browser, server.baseUrl, ADDRESS);
    try {
      await startVisit(page, 'Elena Cruz Páez');
      await page.getByRole('link', { name: 'Pendientes (0)' }).waitFor();
      await page.getByRole('button', { name: 'Volver a mi día' }).click();
      await page.getByRole('heading', { name: 'Mi día' }).waitFor();
      await page.getByRole('link', { name: 'Pendientes (0)' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Cerrar sesión' }).isDisabled(), false, 'logout stays open');
      await page.getByRole('link', { name: 'Pendientes (0)' }).click();
      await page.getByText('Todo está enviado.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('visit shows contacts, sends photo and signature', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const { context, page } = await openApp(browser, server.baseUrl, ADDRESS);
    try {
      await startVisit(page, 'Sofía Luna Reyes');
      const contacts = page.locator('section.contacts');
      await contacts.getByText('OXXO 9876 5432').waitFor();
      await contacts.getByText('CLABE 012180009876543210').waitFor();
      const lenderCall = contacts.getByRole('link', { name: 'Llamar al 800 555 0101' });
      assert.equal(await lenderCall.getAttribute('href'), 'tel:8005550101');
      const debtorCall = contacts.getByRole('link', { name: /^Llamar al 55 ?4433 ?2211$/ });
      assert.equal(await debtorCall.getAttribute('href'), 'tel:5544332211');
      const box = await debtorCall.boundingBox();
      assert.ok(box.height >= 48, `the call link is ${box.height} px tall`);
      await saveScreenshot(page, 'field-visit-contacts');

      await checkIn(page);
      const day = await ok(await page.request.get(`${server.baseUrl}/api/field/day`), 'day package');
      const form = day.forms.find((f) => f.id === day.form_for.collection);
      const facade = form.definition.questions.find((q) => q.name === 'facade_photo');
      const maxPixels = facade.parameters.max_pixels;
      assert.ok(maxPixels < 4000, `the form limits photos to ${maxPixels} px`);

      await choose(page, 'person_met', 'debtor');
      await page.locator('#q-disclosure_ack').check();
      await choose(page, 'result_code', 'AGREEMENT');
      await page.locator('#q-agreement_terms').fill('Tres pagos de 700 pesos los días 15.');
      await sign(page, 'agreement_signature');
      await page.locator('#q-facade_photo').setInputFiles(await bigCameraPhoto(page, 'fachada-12mp.jpg'));
      await page.locator('img.photo-preview').nth(1).waitFor({ timeout: 20_000 });
      await saveScreenshot(page, 'field-evidence-form');
      await finish(page);
      const id = visitIdOf(page);
      await waitAllSent(page);

      const visit = await ok(await admin.api.get(`/api/visits/${id}`), 'visit detail');
      assert.equal(visit.status, 'complete');
      const photo = visit.attachments.find((a) => a.question === 'facade_photo');
      assert.equal(photo.kind, 'photo');
      assert.equal(photo.content_type, 'image/jpeg');
      assert.equal(photo.received, true);
      assert.equal(visit.answers.facade_photo, photo.sha256);
      const photoBytes = Buffer.from(await (await admin.api.get(`/api/visits/${id}/attachments/${photo.sha256}`)).body());
      const size = jpegSize(photoBytes);
      assert.ok(Math.max(size.width, size.height) <= maxPixels, `stored photo is ${size.width}×${size.height}, limit ${maxPixels}`);
      assert.equal(size.width * 3, size.height * 4, `the aspect ratio stays 4:3 (${size.width}×${size.height})`);
      assert.equal(photoBytes.length, photo.size_bytes);

      const signature = visit.attachments.find((a) => a.question === 'agreement_signature');
      assert.equal(signature.kind, 'signature');
      assert.equal(signature.content_type, 'image/png');
      assert.equal(signature.received, true);
      assert.equal(visit.answers.agreement_signature, signature.sha256);
      const signatureResponse = await admin.api.get(`/api/visits/${id}/attachments/${signature.sha256}`);
      assert.equal(signatureResponse.status(), 200);
      const signatureSize = pngSize(Buffer.from(await signatureResponse.body()));
      assert.ok(signatureSize.width > 100, `signature is ${signatureSize.width} px wide`);
      assert.ok(signatureSize.height > 50, `signature is ${signatureSize.height} px tall`);
    } finally {
      await context.close();
    }
  });

  it('a corrected pin proposed with a photo reaches the server for review', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const { context, page } = await openApp(browser, server.baseUrl, AWAY);
    try {
      await startVisit(page, 'Tomás Rivera Gil');
      await page.getByRole('button', { name: 'Registrar llegada' }).click();
      await page.getByRole('alert').filter({ hasText: 'No se pudo registrar la llegada' }).waitFor();
      await page.locator('.checkin input[type="file"]').setInputFiles(await bigCameraPhoto(page, 'domicilio.jpg'));
      await page.getByText('Propusiste una ubicación corregida; tu supervisor la revisará.').waitFor({ timeout: 20_000 });

      await choose(page, 'person_met', 'nobody');
      await choose(page, 'result_code', 'NOBODY_HOME');
      await page.locator('#q-facade_photo').setInputFiles(await bigCameraPhoto(page, 'fachada.jpg'));
      await page.locator('img.photo-preview').first().waitFor({ timeout: 20_000 });
      await finish(page);
      const id = visitIdOf(page);
      await waitAllSent(page);

      const visit = await ok(await admin.api.get(`/api/visits/${id}`), 'visit detail');
      assert.equal(visit.exception, 'pin_correction');
      assert.equal(visit.pin_state, 'pending');
      assert.equal(visit.pin_correction.state, 'pending');
      assert.ok(Math.abs(visit.pin_correction.latitude - AWAY.latitude) < 0.0001, `proposed latitude ${visit.pin_correction.latitude}`);
      assert.equal(visit.check_in.on_device_decision, 'refused');
      const pinPhoto = visit.attachments.find((a) => a.kind === 'pin_photo');
      assert.ok(pinPhoto, `attachments: ${JSON.stringify(visit.attachments)}`);
      assert.equal(pinPhoto.received, true);
      const pinBytes = Buffer.from(await (await admin.api.get(`/api/visits/${id}/attachments/${pinPhoto.sha256}`)).body());
      const pinSize = jpegSize(pinBytes);
      assert.ok(Math.max(pinSize.width, pinSize.height) <= 1280, `pin photo is ${pinSize.width}×${pinSize.height}`);

      const review = await ok(await admin.api.get('/api/visits?limit=50'), 'visit list');
      const listed = review.visits.find((v) => v.id === id);
      assert.equal(listed?.pin_state, 'pending', 'the list shows the visit waiting for review');
    } finally {
      await context.close();
    }
  });
});

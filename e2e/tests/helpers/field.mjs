// Steps of the field app that several browser tests take: open a visit, check
// in, fill the shipped collection form with a promise and a photo, finish, and
// wait until every record is sent.

import assert from 'node:assert/strict';

export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export async function startVisit(page, debtor) {
  const stop = page.getByRole('listitem').filter({ hasText: debtor });
  await stop.getByRole('button', { name: 'Visitar' }).click();
  await page.getByRole('heading', { name: debtor }).waitFor();
}

export async function checkIn(page) {
  await page.getByRole('button', { name: 'Registrar llegada' }).click();
  await page.getByText('Llegada registrada.').waitFor();
}

/**
 * Sends the emulated position again every second, as a phone's GPS keeps
 * reporting. In Chromium a watch started beside a running one (the check-in
 * beside the shift's tracker) waits for the next report. Returns the stop function.
 */
export function gpsTicking(context, at) {
  const timer = setInterval(() => {
    context.setGeolocation({ ...at, accuracy: 8 }).catch(() => undefined);
  }, 1_000);
  return () => clearInterval(timer);
}

/** A JPEG drawn by the browser, as the camera would hand it over. */
export async function cameraPhoto(page) {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1600;
    canvas.height = 1200;
    const context = canvas.getContext('2d');
    context.fillStyle = '#7a9';
    context.fillRect(0, 0, 1600, 1200);
    context.fillStyle = '#333';
    context.fillRect(400, 300, 800, 600);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  return { name: 'fachada.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') };
}

export async function choose(page, question, value) {
  await page.locator(`input[name="q-${question}"][value="${value}"]`).check();
}

/**
 * Fills the shipped collection form (visita_cobranza): the debtor promises
 * 400 pesos for tomorrow, below every seeded overdue amount, with a photo
 * of the facade.
 */
export async function fillPromise(page) {
  await choose(page, 'person_met', 'debtor');
  await page.locator('#q-disclosure_ack').check();
  await choose(page, 'result_code', 'PTP');
  await page.locator('#q-promise_amount').fill('400');
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.locator('#q-promise_date').fill(tomorrow);
  await choose(page, 'promise_channel', 'convenience_store');
  await page.locator('#q-facade_photo').setInputFiles(await cameraPhoto(page));
  await page.locator('img.photo-preview').first().waitFor();
}

export async function finish(page) {
  await page.getByRole('button', { name: 'Terminar visita' }).click();
  await page.getByText(/Visita (guardada en el teléfono|recibida por el servidor)/).waitFor();
}

export function visitIdOf(page) {
  const match = /#\/visita\/([0-9a-f-]{36})/.exec(page.url());
  assert.ok(match, `visit id in ${page.url()}`);
  return match[1];
}

export async function receipt(page, server, id) {
  const response = await page.request.get(`${server.baseUrl}/api/field/visits/${id}/receipt`);
  return { status: response.status(), body: response.status() === 200 ? await response.json() : null };
}

export async function waitAllSent(page) {
  await page.goto(`${page.url().split('#')[0]}#/pendientes`);
  await page.getByText('Todo está enviado.').waitFor({ timeout: 30_000 });
}

// The console's form editor: an admin builds a form with a repeat row by row,
// sees an unknown ${name} reported next to its row, has the server check the
// definition and publishes it. The published version keeps the repeat.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, startServer } from './helpers/server.mjs';

describe('console form editor', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('builds, checks and publishes a form with a repeat', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1400, height: 900 } });
    try {
      await page.goto(`${server.baseUrl}/`);
      await fillLogin(page, ADMIN.email, ADMIN.password);
      await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Formularios', exact: true }).click();
      await page.getByRole('button', { name: 'Nuevo formulario' }).click();
      await page.getByRole('heading', { name: 'Editor de formulario' }).waitFor();

      await page.getByLabel('Identificador', { exact: true }).fill('referencias');
      await page.getByLabel('Título (español)').fill('Referencias personales');
      await page.getByLabel('Tipo de la fila nueva').selectOption('repeat');
      await page.getByRole('button', { name: 'Agregar fila' }).click();
      await page.getByLabel('Nombre, fila 1', { exact: true }).fill('references');
      await page.getByLabel('Etiqueta (es), fila 1', { exact: true }).fill('Referencias');
      await page.getByLabel('Tipo de la fila nueva').selectOption('text');
      await page.getByRole('button', { name: 'Agregar una fila debajo de 1 references' }).click();
      await page.getByLabel('Nombre, fila 2', { exact: true }).fill('ref_name');
      await page.getByLabel('Etiqueta (es), fila 2', { exact: true }).fill('Nombre');
      await page.getByLabel('required, fila 2', { exact: true }).fill('true()');
      await page.getByLabel('Tipo de la fila nueva').selectOption('integer');
      await page.getByRole('button', { name: 'Agregar una fila debajo de 2 ref_name' }).click();
      await page.getByLabel('Nombre, fila 3', { exact: true }).fill('age');
      await page.getByLabel('Etiqueta (es), fila 3', { exact: true }).fill('Edad');

      const relevant = page.getByLabel('relevant, fila 3', { exact: true });
      await relevant.fill("${nombre} != ''");
      await page.getByText('relevant: ${nombre} no es ninguna pregunta del formulario.').waitFor();
      assert.equal(await relevant.getAttribute('aria-invalid'), 'true');
      await relevant.fill("${ref_name} != ''");
      await page.getByText('Sin problemas en la tabla.').waitFor();

      await page.getByRole('button', { name: 'Revisar' }).click();
      await page.getByText('Sin problemas; puedes publicarlo:').waitFor();
      await page.getByRole('button', { name: 'Publicar', exact: true }).click();
      await page.getByText('Versión publicada:').waitFor();
      await saveScreenshot(page, 'console-forms-editor');

      const list = await (await page.request.get(`${server.baseUrl}/api/forms`)).json();
      const form = list.forms.find((item) => item.form_id === 'referencias');
      assert.ok(form, `published form listed: ${JSON.stringify(list.forms)}`);
      const version = await (await page.request.get(`${server.baseUrl}/api/forms/versions/${form.latest_version_id}`)).json();
      const [repeat] = version.definition.questions;
      assert.equal(repeat.type, 'repeat');
      assert.deepEqual(
        repeat.children.map((question) => question.name),
        ['ref_name', 'age'],
      );
      assert.equal(repeat.children[1].relevant, "${ref_name} != ''");
    } catch (failure) {
      await saveScreenshot(page, 'console-forms-editor');
      throw failure;
    } finally {
      await context.close();
    }
  });
});

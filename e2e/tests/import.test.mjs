// "Cuentas" section of the console: lenders, portfolios and the portfolio
// import wizard, in headless Chromium against the real server.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, startServer } from './helpers/server.mjs';

const VIEWER = { email: 'vero@example.mx', name: 'Verónica Ruiz', role: 'viewer', password: 'solo-consulta-5' };

const LENDER_NAME = 'Financiera del Bajío';
const PORTFOLIO_NAME = 'Noviembre 2026';

// Semicolon-separated, as Excel in Spanish saves CSV. The postal code lost its
// leading zero, amounts keep the peso sign and thousands separator, row 4
// repeats the account of row 2 and row 5 has no name. Rows are counted as a
// spreadsheet shows them, with the header on row 1.
const CSV_LINES = [
  'No. de crédito;Nombre del cliente;Saldo vencido;Días de atraso;Calle;Colonia;C.P.;Municipio;Estado',
  'FB-1001;María Guadalupe Hernández;$12,345.50;45;Av. Juárez 12;Centro;1000;Cuauhtémoc;Ciudad de México',
  'FB-1002;José Ángel Muñoz;$3,200.00;12;Calle Hidalgo 5;San Ángel;1000;Álvaro Obregón;Ciudad de México',
  'FB-1001;Pedro Núñez;$1.00;3;Calle Morelos 8;Centro;1000;Cuauhtémoc;Ciudad de México',
  'FB-1004;;$500.00;7;Calle Allende 3;Centro;37000;León;Guanajuato',
  'FB-1005;Lucía Peña;$987.65;90;Blvd. López Mateos 100;Jardines del Moral;37160;León;Guanajuato',
];

describe('accounts import', () => {
  let server;
  let browser;
  let fileDir;
  let csvPath;

  before(async () => {
    server = await startServer({ extraUsers: [VIEWER] });
    browser = await launchBrowser();
    fileDir = await mkdtemp(join(tmpdir(), 'ronda-import-'));
    csvPath = join(fileDir, 'cartera-noviembre.csv');
    // Windows-1252 matches Latin-1 for every character in this file.
    await writeFile(csvPath, Buffer.from(`${CSV_LINES.join('\r\n')}\r\n`, 'latin1'));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (fileDir) await rm(fileDir, { recursive: true, force: true });
  });

  it('admin imports a portfolio', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${server.baseUrl}/#/accounts`);
      await fillLogin(page, ADMIN.email, ADMIN.password);
      await page.getByRole('heading', { name: 'Cuentas', level: 1 }).waitFor();
      await page.getByText('Aún no hay cuentas').waitFor();

      const lenders = page.getByRole('region', { name: 'Otorgantes y carteras' });
      await lenders.getByLabel('Nombre del otorgante').fill(LENDER_NAME);
      await lenders.getByLabel('Teléfonos de cobranza (opcional)').fill('477 123 4567\n800 555 0101');
      await lenders.getByRole('button', { name: 'Crear otorgante' }).click();
      await page.getByText(`Se creó el otorgante ${LENDER_NAME}.`).waitFor();

      await lenders.getByLabel('Nombre de la cartera').fill(PORTFOLIO_NAME);
      await lenders.getByRole('button', { name: 'Crear cartera' }).click();
      await page.getByText(`Se creó la cartera ${PORTFOLIO_NAME} de ${LENDER_NAME}.`).waitFor();
      const lenderRow = lenders.getByRole('row').filter({ hasText: LENDER_NAME });
      assert.match(await lenderRow.innerText(), /Noviembre 2026/);
      await saveScreenshot(page, 'import-lenders');

      // Step 1: portfolio and file. Choosing the file uploads it for a preview.
      await page.getByRole('button', { name: 'Importar cartera' }).click();
      await page.getByRole('heading', { name: 'Paso 1 de 4: Archivo' }).waitFor();
      await page.getByLabel('Cartera de destino').selectOption({ label: `${LENDER_NAME} · ${PORTFOLIO_NAME}` });
      const [preview] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/imports/preview')),
        page.getByLabel('Archivo CSV o Excel (.xlsx)').setInputFiles(csvPath),
      ]);
      assert.equal(preview.status(), 200, 'preview status');
      await page.getByText('cartera-noviembre.csv: 5 filas de datos, encabezados en la fila 1.').waitFor();
      await page.getByText(/separador punto y coma/).waitFor();
      await saveScreenshot(page, 'import-step1-file');

      // Step 2: the suggested mapping.
      await page.getByRole('button', { name: 'Continuar' }).click();
      await page.getByRole('heading', { name: 'Paso 2 de 4: Columnas' }).waitFor();
      const suggested = {
        'No. de crédito': 'lender_account_id',
        'Nombre del cliente': 'debtor_name',
        'Saldo vencido': 'overdue_amount',
        'C.P.': 'postal_code',
      };
      for (const [header, field] of Object.entries(suggested)) {
        const select = page.getByLabel(`Campo para la columna «${header}»`);
        assert.equal(await select.inputValue(), field, `suggested field for ${header}`);
      }
      await page.locator('table.mapping-table').getByText('$12,345.50', { exact: true }).waitFor();

      // Unmapping the name shows the warning and blocks the review.
      const nameSelect = page.getByLabel('Campo para la columna «Nombre del cliente»');
      await nameSelect.selectOption('');
      await page.getByText(/Falta asignar: .*Sin estos campos no se puede importar\./).waitFor();
      const dryRunButton = page.getByRole('button', { name: 'Revisar sin importar' });
      assert.equal(await dryRunButton.isDisabled(), true, 'dry run blocked without debtor name');
      await saveScreenshot(page, 'import-step2-missing-name');
      await nameSelect.selectOption('debtor_name');
      // This lender's days past due are kept as a custom field; the template remembers it.
      await page.getByLabel('Campo para la columna «Días de atraso»').selectOption('');
      await page.getByLabel('Guardar la asignación como plantilla (opcional)').fill('Formato Bajío');
      await saveScreenshot(page, 'import-step2-mapping');

      // Step 3: the dry run finds the duplicate and the missing name.
      const [dryRun] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/imports/jobs')),
        dryRunButton.click(),
      ]);
      assert.equal(dryRun.status(), 202, 'dry run job started');
      await page.getByRole('heading', { name: 'Paso 3 de 4: Revisión' }).waitFor();
      await page.getByText('Revisión terminada. Todavía no se guardó nada.').waitFor();
      assert.equal(await countValue(page, 'Filas leídas'), '5');
      assert.equal(await countValue(page, 'Cuentas nuevas'), '3');
      assert.equal(await countValue(page, 'Filas rechazadas'), '2');

      const problems = page.locator('table.problems-table tbody tr');
      assert.equal(await problems.count(), 2, 'problem rows');
      const duplicate = await problems.nth(0).locator('th, td').allInnerTexts();
      assert.equal(duplicate[0], '4');
      assert.equal(duplicate[1], 'No. de crédito');
      assert.equal(duplicate[2], 'FB-1001');
      const missingName = await problems.nth(1).locator('th, td').allInnerTexts();
      assert.equal(missingName[0], '5');
      assert.equal(missingName[1], 'Nombre del cliente');
      for (const cells of [duplicate, missingName]) {
        assert.notEqual(cells[3].trim(), '', 'problem message');
        assert.notEqual(cells[4].trim(), '', 'how to fix');
      }
      await assertNoHorizontalOverflow(page);
      await saveScreenshot(page, 'import-step3-review');

      // Step 4: the real import.
      await page.getByRole('button', { name: 'Importar', exact: true }).click();
      await page.getByRole('heading', { name: 'Paso 4 de 4: Importación' }).waitFor();
      assert.equal(await countValue(page, 'Cuentas creadas'), '3');
      assert.equal(await countValue(page, 'Filas rechazadas'), '2');
      await saveScreenshot(page, 'import-step4-done');

      await page.getByRole('button', { name: 'Ver las cuentas de la cartera' }).click();
      const list = page.getByRole('region', { name: 'Lista de cuentas' });
      await list.getByText('Cuentas 1 a 3 de 3').waitFor();
      const first = list.getByRole('row').filter({ hasText: 'FB-1001' });
      const firstText = await first.innerText();
      assert.match(firstText, /María Guadalupe Hernández/);
      assert.match(firstText, /\$12,345\.50/);
      assert.match(firstText, /01000/);
      assert.equal(await list.getByRole('row').filter({ hasText: 'FB-1004' }).count(), 0, 'row without name');
      await list.getByRole('row').filter({ hasText: 'Lucía Peña' }).waitFor();
      assert.match(await lenderRow.innerText(), /3 cuentas/);
      await assertNoHorizontalOverflow(page);
      await saveScreenshot(page, 'import-accounts-list');

      await list.getByLabel('Buscar por nombre o número de crédito').fill('Lucía');
      await list.getByRole('button', { name: 'Buscar' }).click();
      await list.getByText('Cuentas 1 a 1 de 1').waitFor();
    } finally {
      await context.close();
    }
  });

  it('admin applies the saved template', { timeout: TEST_TIMEOUT_MS }, async () => {
    // The same columns in another order, as the lender's next file may come.
    const reordered = CSV_LINES.map((line) => {
      const cells = line.split(';');
      return [cells[8], cells[3], cells[1], cells[0], cells[2], cells[4], cells[5], cells[6], cells[7]].join(';');
    });
    const path = join(fileDir, 'cartera-diciembre.csv');
    await writeFile(path, Buffer.from(`${reordered.join('\r\n')}\r\n`, 'latin1'));
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${server.baseUrl}/#/accounts`);
      await fillLogin(page, ADMIN.email, ADMIN.password);
      await page.getByRole('button', { name: 'Importar cartera' }).click();
      await page.getByLabel('Cartera de destino').selectOption({ label: `${LENDER_NAME} · ${PORTFOLIO_NAME}` });
      await page.getByLabel('Archivo CSV o Excel (.xlsx)').setInputFiles(path);
      await page.getByText('cartera-diciembre.csv: 5 filas de datos, encabezados en la fila 1.').waitFor();
      await page.getByRole('button', { name: 'Continuar' }).click();

      const days = page.getByLabel('Campo para la columna «Días de atraso»');
      assert.equal(await days.inputValue(), 'days_past_due', 'suggested before the template');
      await page.getByLabel('Plantilla guardada').selectOption({ label: 'Formato Bajío' });
      await page.getByRole('button', { name: 'Aplicar plantilla' }).click();
      await page.getByText('Se aplicó la plantilla «Formato Bajío».').waitFor();
      assert.equal(await days.inputValue(), '', 'the template keeps it as a custom field');
      assert.equal(await page.getByLabel('Campo para la columna «No. de crédito»').inputValue(), 'lender_account_id');
      assert.equal(await page.getByLabel('Campo para la columna «Estado»').inputValue(), 'state');
      await saveScreenshot(page, 'import-template-applied');
    } finally {
      await context.close();
    }
  });

  it('viewer reads accounts without import', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 820, height: 1180 } });
    try {
      await page.goto(`${server.baseUrl}/#/accounts`);
      await fillLogin(page, VIEWER.email, VIEWER.password);
      await page.getByRole('heading', { name: 'Cuentas', level: 1 }).waitFor();

      const list = page.getByRole('region', { name: 'Lista de cuentas' });
      await list.getByRole('row').filter({ hasText: 'FB-1001' }).waitFor();
      await page.getByRole('region', { name: 'Otorgantes y carteras' }).getByText(LENDER_NAME).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Importar cartera' }).count(), 0, 'no import button');
      assert.equal(await page.getByRole('button', { name: 'Crear otorgante' }).count(), 0, 'no lender form');
      assert.equal(await page.getByRole('button', { name: 'Crear cartera' }).count(), 0, 'no portfolio form');
      await assertNoHorizontalOverflow(page);
      await saveScreenshot(page, 'import-viewer-tablet');
    } finally {
      await context.close();
    }
  });
});

/** Returns the number shown under `label` in the import counts. */
async function countValue(page, label) {
  const item = page.locator('.import-counts__item').filter({ has: page.locator('dt', { hasText: label }) });
  return (await item.locator('dd').innerText()).trim();
}

/** Fails when the page is wider than the viewport, because wide tables must scroll inside their own box. */
async function assertNoHorizontalOverflow(page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
}

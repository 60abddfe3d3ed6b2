// Supervisor console at `/`, in headless Chromium against the real server.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, AGENT, ORG_NAME, startServer } from './helpers/server.mjs';

describe('console', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ extraUsers: [AGENT] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('admin login shows shell, logout returns', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`${server.baseUrl}/`);
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'es-MX');
      await saveScreenshot(page, 'console-login-es');

      await fillLogin(page, ADMIN.email, ADMIN.password);

      await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      const header = page.getByRole('banner');
      assert.match(await header.innerText(), new RegExp(ORG_NAME));
      assert.match(await header.innerText(), new RegExp(ADMIN.name));
      assert.match(await header.innerText(), /Administrador/);
      await page.getByText('Aún no hay gestores en el mapa').waitFor();

      const nav = page.getByRole('navigation', { name: 'Secciones' });
      for (const label of ['Hoy', 'Visitas', 'Cuentas', 'Gestores', 'Reportes', 'Configuración', 'Usuarios']) {
        assert.equal(await nav.getByRole('link', { name: label, exact: true }).count(), 1, `nav link ${label}`);
      }
      await saveScreenshot(page, 'console-today');

      await nav.getByRole('link', { name: 'Visitas', exact: true }).click();
      await page.getByRole('heading', { name: 'Visitas', level: 1 }).waitFor();
      await page.getByText('Aún no hay visitas').waitFor();
      await saveScreenshot(page, 'console-visits');

      // The session cookie survives a reload.
      await page.reload();
      await page.getByRole('heading', { name: 'Visitas', level: 1 }).waitFor();

      await page.getByRole('button', { name: 'Cerrar sesión' }).click();
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();

      // After logout the server session is gone too, not only the screen.
      await page.reload();
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('wrong password shows generic error', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.baseUrl}/`);
      const alert = page.locator('#login-error');

      // A wrong password and an unknown user must look the same to the user.
      for (const email of [ADMIN.email, 'nadie@example.mx']) {
        const [response] = await Promise.all([
          page.waitForResponse((candidate) => candidate.url().endsWith('/api/auth/login')),
          fillLogin(page, email, 'contraseña-equivocada'),
        ]);
        assert.equal(response.status(), 401, `login status for ${email}`);
        await alert.getByText('El correo o la contraseña no son correctos.').waitFor();
      }
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
      await saveScreenshot(page, 'console-login-error');
    } finally {
      await context.close();
    }
  });

  it('English switch translates login', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.baseUrl}/`);
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();

      await page.getByRole('button', { name: 'English' }).click();

      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email', { exact: true }).waitFor();
      await page.getByLabel('Password', { exact: true }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 1);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await saveScreenshot(page, 'console-login-en');

      // The choice is stored, so it outlives a reload.
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();

      // Error messages follow the chosen language, and requests ask the
      // server for English through Accept-Language.
      await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
      await page.getByLabel('Password', { exact: true }).fill('wrong-password');
      const [request] = await Promise.all([
        page.waitForRequest((candidate) => candidate.url().endsWith('/api/auth/login')),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      assert.equal(request.headers()['accept-language'], 'en');
      await page.getByText('The email or password is incorrect.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('agent is sent to the field app', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${server.baseUrl}/`);
      await fillLogin(page, AGENT.email, AGENT.password);

      await page.getByRole('heading', { name: 'Esta consola es para supervisores' }).waitFor();
      const link = page.getByRole('link', { name: 'Abrir la app de campo' });
      assert.equal(await link.getAttribute('href'), '/app/');
      assert.equal(await page.getByRole('navigation').count(), 0, 'agents get no console navigation');
      await saveScreenshot(page, 'console-agent-notice');

      await page.getByRole('button', { name: 'Cerrar sesión' }).click();
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('admin creates, deactivates and reactivates a user', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${server.baseUrl}/#/users`);
      await fillLogin(page, ADMIN.email, ADMIN.password);
      await page.getByRole('heading', { name: 'Usuarios', level: 1 }).waitFor();

      const table = page.getByRole('table');
      await table.getByRole('rowheader', { name: `${ADMIN.name} (tú)` }).waitFor();
      await table.getByRole('rowheader', { name: AGENT.name }).waitFor();

      const form = page.locator('form.create-user-form');
      await form.getByLabel('Nombre completo').fill('Carla Méndez');
      await form.getByLabel('Correo electrónico').fill('carla@example.mx');
      await form.getByLabel('Rol').selectOption('supervisor');
      await form.getByLabel('Contraseña inicial').fill('supervisora-segura-3');
      await form.getByRole('button', { name: 'Crear usuario' }).click();

      await page.getByText('Se creó el usuario Carla Méndez.').waitFor();
      const carlaRow = table.getByRole('row').filter({ hasText: 'carla@example.mx' });
      assert.match(await carlaRow.innerText(), /Supervisor/);
      assert.match(await carlaRow.innerText(), /Activo/);

      // A second user with the same email is rejected on the email field.
      await form.getByLabel('Nombre completo').fill('Otra Carla');
      await form.getByLabel('Correo electrónico').fill('carla@example.mx');
      await form.getByLabel('Contraseña inicial').fill('otra-contraseña-4');
      await form.getByRole('button', { name: 'Crear usuario' }).click();
      await form.getByText('Ya existe un usuario con ese correo.').waitFor();
      assert.equal(await form.getByLabel('Correo electrónico').getAttribute('aria-invalid'), 'true');

      page.once('dialog', (dialog) => dialog.accept());
      await carlaRow.getByRole('button', { name: 'Desactivar a Carla Méndez' }).click();
      await page.getByText('Se desactivó a Carla Méndez.').waitFor();
      assert.match(await carlaRow.innerText(), /Inactivo/);
      assert.equal(await carlaRow.getByRole('button', { name: 'Desactivar a Carla Méndez' }).count(), 0);
      await saveScreenshot(page, 'console-users');

      await carlaRow.getByRole('button', { name: 'Reactivar a Carla Méndez' }).click();
      await page.getByText('Carla Méndez ya puede iniciar sesión de nuevo.').waitFor();
      assert.match(await carlaRow.innerText(), /Activo/);
      assert.doesNotMatch(await carlaRow.innerText(), /Inactivo/);
    } finally {
      await context.close();
    }
  });
});

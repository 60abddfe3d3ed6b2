// Settings in the console: an admin changes the organization's contact window,
// creates an API token (its secret shows once) and revokes it after confirming,
// and invites a supervisor who sets a password through the one-time link. A
// viewer sees the settings without the controls to change them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newPage, saveScreenshot } from './helpers/browser.mjs';
import { fillLogin } from './helpers/login.mjs';
import { ADMIN, startServer } from './helpers/server.mjs';

const VIEWER = { email: 'victor@example.mx', name: 'Víctor Nava', role: 'viewer', password: 'solo-consulta-44' };

async function openSettings(browser, baseUrl, user) {
  const { context, page } = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/`);
  await fillLogin(page, user.email, user.password);
  await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Configuración', exact: true }).click();
  await page.getByRole('heading', { name: 'Organización', level: 2 }).waitFor();
  return { context, page };
}

describe('console settings', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ extraUsers: [VIEWER] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lets an admin change the contact window', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openSettings(browser, server.baseUrl, ADMIN);
    try {
      const panel = page.locator('section.org-panel');
      const times = panel.locator('.org-window input[type=time]');
      await times.nth(0).fill('08:30');
      await times.nth(1).fill('20:00');
      await panel.getByRole('button', { name: 'Guardar configuración' }).click();
      await panel.getByRole('status').filter({ hasText: 'Se guardó la configuración' }).waitFor();

      const response = await page.request.get(`${server.baseUrl}/api/organization`);
      assert.equal(response.status(), 200);
      const settings = await response.json();
      assert.deepEqual(settings.contact_rule.window, { start: '08:30', end: '20:00' });

      await times.nth(0).fill('21:00');
      await panel.getByRole('button', { name: 'Guardar configuración' }).click();
      const error = panel.getByRole('alert');
      await error.waitFor();
      assert.match(await error.innerText(), /anterior/);
    } catch (failure) {
      await saveScreenshot(page, 'console-settings-window');
      throw failure;
    } finally {
      await context.close();
    }
  });

  it('lets an admin create and revoke an API token', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openSettings(browser, server.baseUrl, ADMIN);
    try {
      const panel = page.locator('section[aria-labelledby="tokens-title"]');
      await panel.getByText('Todavía no hay tokens.').waitFor();
      await panel.getByRole('textbox', { name: 'Nombre' }).fill('ERP del otorgante');
      await panel.getByRole('button', { name: 'Crear token' }).click();
      const secret = panel.getByRole('textbox', { name: 'Secreto del token nuevo' });
      await secret.waitFor();
      const value = await secret.inputValue();
      assert.ok(value.length >= 20, `secret shown once: ${value}`);
      await panel.getByText('no se volverá a mostrar').waitFor();

      const check = await fetch(`${server.baseUrl}/api/organization`, { headers: { Authorization: `Bearer ${value}` } });
      assert.equal(check.status, 200, 'the new viewer token reads the settings');

      await panel.getByRole('button', { name: 'Ya lo guardé' }).click();
      await panel.getByRole('button', { name: 'Revocar' }).click();
      await panel.getByRole('button', { name: 'Sí, revocar' }).click();
      await panel.getByRole('status').filter({ hasText: 'Se revocó el token' }).waitFor();
      await panel.getByText(/Revocado el/).waitFor();

      const refused = await fetch(`${server.baseUrl}/api/organization`, { headers: { Authorization: `Bearer ${value}` } });
      assert.equal(refused.status, 401, 'a revoked token is refused');
    } catch (failure) {
      await saveScreenshot(page, 'console-settings-tokens');
      throw failure;
    } finally {
      await context.close();
    }
  });

  it('lets an invited supervisor set a password', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openSettings(browser, server.baseUrl, ADMIN);
    try {
      const panel = page.locator('section[aria-labelledby="invitations-title"]');
      await panel.getByRole('textbox', { name: 'Correo electrónico' }).fill('sara@example.mx');
      await panel.getByRole('textbox', { name: 'Nombre completo' }).fill('Sara Ibarra');
      await panel.getByRole('combobox', { name: 'Rol' }).selectOption('supervisor');
      await panel.getByRole('button', { name: 'Crear invitación' }).click();
      const link = await panel.getByRole('textbox', { name: 'Enlace de invitación' }).inputValue();
      assert.match(link, /\/invitation\/[A-Za-z0-9_-]{20,}$/);
      await panel.getByText('No se envió por correo').waitFor();

      const invited = await newPage(browser, { viewport: { width: 1280, height: 900 } });
      try {
        await invited.page.goto(link);
        await invited.page.getByRole('heading', { name: 'Bienvenido a Ronda, Sara Ibarra' }).waitFor();
        await invited.page.getByLabel('Contraseña', { exact: true }).fill('supervisa-con-calma-5');
        await invited.page.getByLabel('Repite la contraseña').fill('supervisa-con-calma-5');
        await invited.page.getByRole('button', { name: 'Guardar contraseña' }).click();
        await invited.page.getByRole('heading', { name: 'Contraseña guardada' }).waitFor();
        await invited.page.getByRole('link', { name: 'iniciar sesión' }).click();
        await fillLogin(invited.page, 'sara@example.mx', 'supervisa-con-calma-5');
        await invited.page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();

        await invited.page.goto(link);
        await invited.page.getByRole('heading', { name: 'Invitación no válida' }).waitFor();
      } finally {
        await invited.context.close();
      }
    } catch (failure) {
      await saveScreenshot(page, 'console-settings-invitation');
      throw failure;
    } finally {
      await context.close();
    }
  });

  it('shows a viewer the settings without controls', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await openSettings(browser, server.baseUrl, VIEWER);
    try {
      const panel = page.locator('section.org-panel');
      await panel.getByText('Solo un administrador puede cambiarlos.').waitFor();
      assert.equal(await panel.getByRole('button', { name: 'Guardar configuración' }).count(), 0);
      assert.equal(await panel.locator('input[type=time]').first().isDisabled(), true, 'the window inputs are disabled');
      assert.equal(await page.locator('section[aria-labelledby="tokens-title"]').count(), 0, 'no token panel for viewers');

      const session = await (await page.request.get(`${server.baseUrl}/api/session`)).json();
      const changed = await page.request.put(`${server.baseUrl}/api/organization`, {
        headers: { 'X-CSRF-Token': session.csrf_token },
        data: { display_name: null, default_time_zone: null, contact_rule: { window: { start: '09:00', end: '18:00' } } },
      });
      assert.equal(changed.status(), 403, 'the server refuses a viewer');
    } catch (failure) {
      await saveScreenshot(page, 'console-settings-viewer');
      throw failure;
    } finally {
      await context.close();
    }
  });
});

// Browser benchmark of the field app. Part (a) reports the gzip size of the
// JavaScript and CSS the service worker precaches for /app/. Part (b) times
// the offline start with 4x CPU throttling, from navigation start to a usable
// day view, against an offline reload of a precached static file in the same run.
//
// Run from the repository root after a debug build of the server:
//   node bench/web/field.mjs [DIST_DIR]
// DIST_DIR defaults to web/dist. The server binary is $RONDA_BIN or
// target/debug/ronda; it serves the web bundle it was built with, which may
// differ from DIST_DIR.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ADMIN, AGENT, startServer } from '../../e2e/tests/helpers/server.mjs';
import { CPU_SLOWDOWN, REPO, launchBrowser, median, throttleCpu } from './shared.mjs';

const RUNS = 5;
const ACCOUNTS = 25;
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'es-MX' };
const WAIT_MS = 60_000;
// First stop of the day list: the day view is usable once it is on screen.
const DAY_SELECTOR = '.stop-list .stop';
const BASELINE_PATH = '/app/icons/icon-192.png';

const requireFromE2e = createRequire(resolve(REPO, 'e2e', 'package.json'));
const { request: playwrightRequest } = requireFromE2e('playwright-core');

// ---------------------------------------------------------------- (a) sizes

/** URLs the field app's service worker precaches, read from the generated sw.js. */
function precachedUrls(distDir) {
  const worker = readFileSync(join(distDir, 'app', 'sw.js'), 'utf8');
  const urls = [...worker.matchAll(/url:"([^"]+)"/g)].map((match) => match[1]);
  if (urls.length === 0) throw new Error(`no precache entries found in ${join(distDir, 'app', 'sw.js')}`);
  return urls;
}

/** Files app/index.html loads before any dynamic import: its module script, modulepreloads and stylesheets. */
function initialUrls(distDir) {
  const html = readFileSync(join(distDir, 'app', 'index.html'), 'utf8');
  const urls = new Set(['/app/index.html']);
  for (const match of html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"[^>]*>/g)) {
    const tag = match[0];
    if (tag.startsWith('<script') || /rel="(modulepreload|stylesheet)"/.test(tag)) urls.add(match[1]);
  }
  return urls;
}

/** Size of `gzip -c FILE`, the default level 6 with the name in the header. */
function gzipBytes(distDir, url) {
  return execFileSync('gzip', ['-c', join(distDir, url)], { maxBuffer: 64 * 1024 * 1024 }).length;
}

function reportSizes(distDir) {
  const initial = initialUrls(distDir);
  const rows = precachedUrls(distDir)
    .filter((url) => /\.(js|css)$/.test(url))
    .map((url) => ({ url, raw: readFileSync(join(distDir, url)).length, gzip: gzipBytes(distDir, url), initial: initial.has(url) }));
  console.log(`(a) JS and CSS precached for /app/ in ${distDir} (bytes; gzip is \`gzip -c FILE | wc -c\`)`);
  for (const row of rows) console.log(`  ${row.url}  raw ${row.raw}  gzip ${row.gzip}${row.initial ? '  initial' : ''}`);
  const total = rows.reduce((sum, row) => sum + row.gzip, 0);
  const initialTotal = rows.filter((row) => row.initial).reduce((sum, row) => sum + row.gzip, 0);
  console.log(`  total gzip ${total} (${(total / 1024).toFixed(1)} KiB), initial load ${initialTotal} (${(initialTotal / 1024).toFixed(1)} KiB)`);
  // The worker's own scripts load at install, outside the precache list.
  const workerFiles = readdirSync(join(distDir, 'app')).filter((name) => name.endsWith('.js')).map((name) => `/app/${name}`);
  const workerTotal = workerFiles.reduce((sum, url) => sum + gzipBytes(distDir, url), 0);
  console.log(`  service worker scripts ${workerFiles.join(', ')}: gzip ${workerTotal}`);
}

// ----------------------------------------------------- (b) offline day view

async function expectOk(response, step) {
  if (!response.ok()) throw new Error(`${step}: HTTP ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

function portfolioCsv() {
  const header = 'No. de crédito,Nombre del cliente,Saldo vencido,Días de atraso,Calle,Número,Colonia,C.P.,Municipio,Estado,Latitud,Longitud';
  const rows = Array.from({ length: ACCOUNTS }, (_, i) => {
    const latitude = (19.4326 + i * 0.0005).toFixed(6);
    return `CR-${i + 1},Cliente Número ${i + 1},${(500 + i * 37).toFixed(2)},${5 + i},Madero,${i + 1},Centro,06000,Cuauhtémoc,Ciudad de México,${latitude},-99.133200`;
  });
  return [header, ...rows].join('\n');
}

const MAPPING = [
  'lender_account_id', 'debtor_name', 'overdue_amount', 'days_past_due', 'street', 'exterior_number',
  'colonia', 'postal_code', 'municipality', 'state', 'latitude', 'longitude',
];

/** Imports ACCOUNTS accounts through the API, assigns them all to the agent and adds the collection form. */
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
          file: { name: 'cartera.csv', mimeType: 'text/csv', buffer: Buffer.from(portfolioCsv(), 'utf8') },
          portfolio_id: String(portfolio.id),
          mapping: JSON.stringify(MAPPING),
          dry_run: 'false',
        },
      }),
      'import',
    );
    const accounts = await expectOk(await api.get(`/api/accounts?portfolio_id=${portfolio.id}&page=1&per_page=100`), 'accounts');
    const users = await expectOk(await api.get('/api/users'), 'users');
    const agent = users.users.find((user) => user.email === AGENT.email);
    await expectOk(
      await api.post('/api/assignments', { headers, data: { agent_id: String(agent.id), account_ids: accounts.accounts.map((a) => String(a.id)) } }),
      'assign',
    );
    await expectOk(await api.post('/api/forms/templates/visita_cobranza', { headers }), 'collection form');
    return accounts.accounts.length;
  } finally {
    await api.dispose();
  }
}

/**
 * Runs in every document before its scripts: records when the first stop of
 * the day list enters the DOM and the next animation frame after it, in ms
 * since navigation start.
 */
function markDayVisible(selector) {
  const check = () => {
    if (window.__dayInDom !== undefined || document.querySelector(selector) === null) return;
    window.__dayInDom = performance.now();
    requestAnimationFrame(() => {
      window.__dayVisible = performance.now();
    });
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}

async function loginAndInstall(page, baseUrl) {
  await page.goto(`${baseUrl}/app/`);
  await page.getByLabel('Correo electrónico', { exact: true }).fill(AGENT.email);
  await page.getByLabel('Contraseña', { exact: true }).fill(AGENT.password);
  await page.getByRole('button', { name: 'Iniciar sesión' }).click();
  await page.getByRole('heading', { name: 'Mi día' }).waitFor({ timeout: WAIT_MS });
  await page.locator(DAY_SELECTOR).first().waitFor({ timeout: WAIT_MS });
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The worker claims the page once active; wait until it controls it.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: WAIT_MS });
  await page.locator('.day-status__ready').waitFor({ timeout: WAIT_MS });
  return page.locator(DAY_SELECTOR).count();
}

async function offlineDayView(page, session) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    await session.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.reload({ waitUntil: 'commit' });
    await page.waitForFunction(() => window.__dayVisible !== undefined, null, { timeout: WAIT_MS, polling: 50 });
    const timing = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0];
      return {
        inDom: window.__dayInDom,
        visible: window.__dayVisible,
        responseEnd: navigation.responseEnd,
        domContentLoaded: navigation.domContentLoadedEventEnd,
        controlled: navigator.serviceWorker.controller !== null,
        offlineNotice: document.body.innerText.includes('Sin conexión'),
      };
    });
    if (!timing.controlled) throw new Error('the reloaded page is not controlled by the service worker');
    runs.push(timing);
  }
  return runs;
}

async function offlineStaticAsset(page, session, baseUrl) {
  await page.goto(`${baseUrl}${BASELINE_PATH}`);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    await session.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.reload({ waitUntil: 'load' });
    runs.push(
      await page.evaluate(() => {
        const navigation = performance.getEntriesByType('navigation')[0];
        return { loaded: navigation.loadEventEnd, responseEnd: navigation.responseEnd };
      }),
    );
  }
  return runs;
}

async function measureOfflineStart() {
  const server = await startServer({ extraUsers: [AGENT] });
  const browser = await launchBrowser();
  try {
    const assigned = await seed(server.baseUrl);
    const context = await browser.newContext(PHONE);
    await context.addInitScript(markDayVisible, DAY_SELECTOR);
    const page = await context.newPage();
    const stopsShown = await loginAndInstall(page, server.baseUrl);

    await context.setOffline(true);
    const session = await throttleCpu(context, page, CPU_SLOWDOWN);
    const day = await offlineDayView(page, session);
    const asset = await offlineStaticAsset(page, session, server.baseUrl);
    await context.close();

    console.log(`(b) offline start, ${CPU_SLOWDOWN}x CPU throttling, ${assigned} assigned accounts (${stopsShown} stops shown online), ${RUNS} reloads each; ms since navigation start`);
    for (const [i, run] of day.entries()) {
      console.log(
        `  day view run ${i + 1}: visible ${run.visible.toFixed(0)}  in DOM ${run.inDom.toFixed(0)}  HTML responseEnd ${run.responseEnd.toFixed(0)}  DOMContentLoaded ${run.domContentLoaded.toFixed(0)}  offline notice ${run.offlineNotice}`,
      );
    }
    for (const [i, run] of asset.entries()) {
      console.log(`  baseline ${BASELINE_PATH} run ${i + 1}: load ${run.loaded.toFixed(0)}  responseEnd ${run.responseEnd.toFixed(0)}`);
    }
    const dayMedian = median(day.map((run) => run.visible));
    const assetMedian = median(asset.map((run) => run.loaded));
    console.log(`  median day view ${dayMedian.toFixed(0)} ms, median baseline ${assetMedian.toFixed(0)} ms, ratio ${(dayMedian / assetMedian).toFixed(1)}x`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

const distDir = resolve(process.argv[2] ?? join(REPO, 'web', 'dist'));
reportSizes(distDir);
measureOfflineStart().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

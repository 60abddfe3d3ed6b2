import { afterEach, describe, expect, it } from 'vitest';
import type { AccountSummary, Lender, Portfolio } from '../../shared/types';
import { AccountsPage } from './AccountsPage';
import { buttonByText, click, jsonResponse, mount, selectOption, settle, stubApi } from './testing';

const LENDER: Lender = {
  id: 'l1',
  name: 'Financiera del Bajío',
  redeco_registration: null,
  complaint_unit_contact: null,
  collection_phones: [],
  payment_references: [],
  created_at: '2026-11-01T10:00:00Z',
};

const PORTFOLIO: Portfolio = {
  id: 'p1',
  lender_id: 'l1',
  lender_name: LENDER.name,
  name: 'Noviembre 2026',
  account_count: 1,
  created_at: '2026-11-01T10:00:00Z',
};

const ACCOUNT: AccountSummary = {
  id: 'a1',
  lender_account_id: 'B-100',
  debtor_name: 'María López',
  lender_name: LENDER.name,
  portfolio_name: PORTFOLIO.name,
  overdue_cents: 1234550,
  days_past_due: 45,
  currency: 'MXN',
  address_text: 'Av. Juárez 12',
  postal_code: '01000',
  municipality: 'Álvaro Obregón',
  state: 'Ciudad de México',
  time_zone: 'America/Mexico_City',
  needs_pin: true,
};

function catalogRoutes() {
  return {
    'GET /api/lenders': () => jsonResponse(200, { lenders: [LENDER] }),
    'GET /api/portfolios': () => jsonResponse(200, { portfolios: [PORTFOLIO] }),
  };
}

const emptyPage = () => jsonResponse(200, { accounts: [], total: 0, page: 1, per_page: 50 });

describe('AccountsPage', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('hides import and forms from viewers', async () => {
    const { api } = stubApi({ ...catalogRoutes(), 'GET /api/accounts': emptyPage });
    const container = mount(<AccountsPage api={api} role="viewer" />);
    await settle();

    expect(buttonByText(container, 'Importar cartera')).toBeNull();
    expect(container.querySelector('#new-lender-name')).toBeNull();
    expect(container.querySelector('#new-portfolio-name')).toBeNull();
    expect(container.textContent).toContain('Financiera del Bajío');
    expect(container.textContent).toContain('cuando un administrador o un supervisor importe una cartera');
  });

  it('offers import to supervisors on empty list', async () => {
    const { api } = stubApi({ ...catalogRoutes(), 'GET /api/accounts': emptyPage });
    const container = mount(<AccountsPage api={api} role="supervisor" />);
    await settle();

    expect(buttonByText(container, 'Importar cartera')).not.toBeNull();
    expect(container.textContent).toContain('Aún no hay cuentas');
    expect(container.textContent).toContain('importa una cartera');
    expect(container.querySelector('#new-lender-name')).not.toBeNull();
  });

  it('shows accounts with pesos from cents', async () => {
    const { api } = stubApi({
      ...catalogRoutes(),
      'GET /api/accounts': () => jsonResponse(200, { accounts: [ACCOUNT], total: 1, page: 1, per_page: 50 }),
    });
    const container = mount(<AccountsPage api={api} role="admin" />);
    await settle();

    const row = container.querySelector('.accounts-table tbody tr')!;
    expect(row.textContent).toContain('B-100');
    expect(row.textContent).toContain('María López');
    expect(row.textContent).toContain('$12,345.50');
    expect(row.textContent).toContain('Sin ubicación precisa');
    expect(container.textContent).toContain('Cuentas 1 a 1 de 1');
  });

  it('retries after a failed load', async () => {
    let failures = 1;
    const { api } = stubApi({
      ...catalogRoutes(),
      'GET /api/accounts': () =>
        failures-- > 0
          ? jsonResponse(500, { code: 'internal', message: 'Algo falló en el servidor.', field: null })
          : emptyPage(),
    });
    const container = mount(<AccountsPage api={api} role="admin" />);
    await settle();

    const alert = container.querySelector('.accounts-list [role="alert"]')!;
    expect(alert.textContent).toContain('Algo falló en el servidor.');

    await click(buttonByText(container, 'Reintentar'));

    expect(container.querySelector('.accounts-list [role="alert"]')).toBeNull();
    expect(container.textContent).toContain('Aún no hay cuentas');
  });

  it('sends search and portfolio filter', async () => {
    const { api, requests } = stubApi({ ...catalogRoutes(), 'GET /api/accounts': emptyPage });
    const container = mount(<AccountsPage api={api} role="admin" />);
    await settle();

    await selectOption(container.querySelector<HTMLSelectElement>('#accounts-portfolio'), 'p1');
    const search = container.querySelector<HTMLInputElement>('#accounts-search')!;
    search.value = 'López';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    await click(buttonByText(container, 'Buscar'));

    const last = requests.filter((request) => request.url.startsWith('/api/accounts')).at(-1)!;
    expect(last.url).toBe('/api/accounts?portfolio_id=p1&q=L%C3%B3pez&page=1&per_page=50');
    expect(container.textContent).toContain('Ninguna cuenta coincide');
  });

  it('pages forward', async () => {
    const { api, requests } = stubApi({
      ...catalogRoutes(),
      'GET /api/accounts': (request) => {
        const page = Number(new URL(request.url, 'http://x').searchParams.get('page'));
        return jsonResponse(200, { accounts: [{ ...ACCOUNT, id: `a${page}` }], total: 120, page, per_page: 50 });
      },
    });
    const container = mount(<AccountsPage api={api} role="admin" />);
    await settle();

    expect(container.textContent).toContain('Página 1 de 3');
    expect(buttonByText(container, 'Anterior')!.disabled).toBe(true);

    await click(buttonByText(container, 'Siguiente'));

    expect(requests.at(-1)!.url).toContain('page=2');
    expect(container.textContent).toContain('Página 2 de 3');
    expect(container.textContent).toContain('Cuentas 51 a 51 de 120');
  });

  it('marks the name field on lender_name_taken', async () => {
    const { api } = stubApi({
      ...catalogRoutes(),
      'GET /api/accounts': emptyPage,
      'POST /api/lenders': () =>
        jsonResponse(409, { code: 'lender_name_taken', message: 'texto del servidor', field: 'name' }),
    });
    const container = mount(<AccountsPage api={api} role="admin" />);
    await settle();

    const name = container.querySelector<HTMLInputElement>('#new-lender-name')!;
    name.value = 'Financiera del Bajío';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    await click(buttonByText(container, 'Crear otorgante'));

    expect(container.querySelector('#new-lender-error')!.textContent).toBe('Ya existe un otorgante con ese nombre.');
    expect(name.getAttribute('aria-invalid')).toBe('true');
  });

  it('edits a lender REDECO data and payment references', async () => {
    const saved = { ...LENDER, redeco_registration: 'REDECO-77', payment_references: ['BBVA 0123', 'OXXO 99'] };
    let lenders = [LENDER];
    const { api, requests } = stubApi({
      'GET /api/lenders': () => jsonResponse(200, { lenders }),
      'GET /api/portfolios': () => jsonResponse(200, { portfolios: [PORTFOLIO] }),
      'GET /api/accounts': emptyPage,
      'PUT /api/lenders/l1': () => {
        lenders = [saved];
        return jsonResponse(200, saved);
      },
    });
    const container = mount(<AccountsPage api={api} role="supervisor" />);
    await settle();

    await click(container.querySelector('button[aria-label="Editar el otorgante Financiera del Bajío"]'));
    expect(container.querySelector<HTMLInputElement>('#edit-lender-name')!.value).toBe('Financiera del Bajío');
    const redeco = container.querySelector<HTMLInputElement>('#edit-lender-redeco_registration')!;
    redeco.value = 'REDECO-77';
    redeco.dispatchEvent(new Event('input', { bubbles: true }));
    const references = container.querySelector<HTMLTextAreaElement>('#edit-lender-payment_references')!;
    references.value = 'BBVA 0123\n\nOXXO 99';
    references.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    await click(buttonByText(container, 'Guardar cambios'));
    await settle();

    const put = requests.find((request) => request.method === 'PUT')!;
    expect(JSON.parse(String(put.body))).toEqual({
      name: 'Financiera del Bajío',
      redeco_registration: 'REDECO-77',
      complaint_unit_contact: null,
      collection_phones: [],
      payment_references: ['BBVA 0123', 'OXXO 99'],
    });
    expect(container.textContent).toContain('Se guardaron los datos del otorgante Financiera del Bajío.');
    expect(container.querySelector('.lenders-table')!.textContent).toContain('REDECO-77');
    expect(container.querySelector('#edit-lender-name')).toBeNull();
  });

  it('creates a portfolio for the only lender', async () => {
    const { api, requests } = stubApi({
      ...catalogRoutes(),
      'GET /api/accounts': emptyPage,
      'POST /api/portfolios': () => jsonResponse(201, { ...PORTFOLIO, id: 'p2', name: 'Diciembre 2026', account_count: 0 }),
    });
    const container = mount(<AccountsPage api={api} role="admin" />);
    await settle();

    const name = container.querySelector<HTMLInputElement>('#new-portfolio-name')!;
    name.value = 'Diciembre 2026';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    await click(buttonByText(container, 'Crear cartera'));

    const post = requests.find((request) => request.method === 'POST')!;
    expect(JSON.parse(String(post.body))).toEqual({ lender_id: 'l1', name: 'Diciembre 2026' });
    expect(container.textContent).toContain('Se creó la cartera Diciembre 2026 de Financiera del Bajío.');
    expect(container.querySelector('.lenders-table')!.textContent).toContain('Diciembre 2026');
  });
});

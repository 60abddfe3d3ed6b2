import { afterEach, describe, expect, it } from 'vitest';
import { PromisesList, promisesQuery, type PromiseRow } from './PromisesList';
import { buttonByText, click, jsonResponse, mount, selectOption, settle, stubApi } from './testing';

afterEach(() => {
  document.body.innerHTML = '';
});

const LENDERS = [
  { id: 'lender-1', name: 'Financiera del Valle' },
  { id: 'lender-2', name: 'Crédito Sur' },
];

function promise(overrides: Partial<PromiseRow>): PromiseRow {
  return {
    source: 'phone',
    status: 'pending',
    created_on: '2026-07-15',
    promised_on: '2026-07-20',
    due_on: '2026-07-23',
    amount_cents: 500_000,
    paid_cents: 200_000,
    visit_id: null,
    contact_attempt_id: 'contact-1',
    account_id: 'account-1',
    lender_account_id: 'FV-1',
    debtor_name: 'María López',
    lender_id: 'lender-1',
    lender_name: 'Financiera del Valle',
    portfolio_id: 'portfolio-1',
    agent_id: 'user-1',
    agent_name: 'Sofía Supervisora',
    ...overrides,
  };
}

function urlsOf(requests: { url: string }[]): string[] {
  return requests.filter((request) => request.url.startsWith('/api/promises')).map((request) => request.url);
}

describe('promisesQuery', () => {
  it('leaves out empty filters and the first offset', () => {
    const filters = { status: 'kept', lender_id: '', source: 'visit', from: '2026-07-01', to: '' };
    expect(promisesQuery(filters, 0)).toBe('status=kept&source=visit&from=2026-07-01&limit=100');
    expect(promisesQuery({ ...filters, status: '' }, 100)).toBe('source=visit&from=2026-07-01&limit=100&offset=100');
  });
});

describe('PromisesList', () => {
  it('shows each promise with a link to its account, in Spanish', async () => {
    const { api } = stubApi({
      'GET /api/promises': () =>
        jsonResponse(200, {
          promises: [promise({}), promise({ source: 'visit', status: 'kept', visit_id: 'visit-1', contact_attempt_id: null, account_id: 'account-2', lender_account_id: 'FV-2', paid_cents: 500_000 })],
          next_offset: null,
        }),
    });
    const page = mount(<PromisesList api={api} lenders={LENDERS} refreshKey={0} />);
    await settle();
    expect(page.querySelector('h2')?.textContent).toBe('Promesas de pago');
    const headers = [...page.querySelectorAll('th')].map((cell) => cell.textContent);
    expect(headers).toEqual(['No. de crédito', 'Deudor', 'Medio', 'Monto', 'Pagado', 'Fecha prometida', 'Vence', 'Estado']);
    const rows = [...page.querySelectorAll('tbody tr')];
    expect(rows).toHaveLength(2);
    const first = [...(rows[0]?.querySelectorAll('td') ?? [])].map((cell) => cell.textContent);
    expect(first[0]).toBe('FV-1');
    expect(first[1]).toBe('María López');
    expect(first[2]).toBe('Llamada');
    expect(first[3]).toContain('5,000.00');
    expect(first[4]).toContain('2,000.00');
    expect(first.slice(5)).toEqual(['2026-07-20', '2026-07-23', 'Pendiente']);
    expect(rows[0]?.querySelector('a')?.getAttribute('href')).toBe('#/accounts/account-1');
    expect(rows[1]?.textContent).toContain('Visita');
    expect(rows[1]?.textContent).toContain('Cumplida');
    expect(buttonByText(page, 'Ver más promesas')).toBeNull();
  });

  it('sends the chosen filters and reads again', async () => {
    const { api, requests } = stubApi({
      'GET /api/promises': () => jsonResponse(200, { promises: [], next_offset: null }),
    });
    const page = mount(<PromisesList api={api} lenders={LENDERS} refreshKey={0} />);
    await settle();
    expect(page.textContent).toContain('No hay promesas de pago con estos filtros.');
    const selects = page.querySelectorAll('select');
    await selectOption(selects[0] ?? null, 'broken');
    await selectOption(selects[1] ?? null, 'lender-2');
    await selectOption(selects[2] ?? null, 'whatsapp');
    const lenderOptions = [...(selects[1]?.querySelectorAll('option') ?? [])].map((option) => option.textContent);
    expect(lenderOptions).toEqual(['Todos', 'Financiera del Valle', 'Crédito Sur']);
    expect(urlsOf(requests).at(-1)).toBe('/api/promises?status=broken&lender_id=lender-2&source=whatsapp&limit=100');
  });

  it('reads the next page and appends it', async () => {
    const { api, requests } = stubApi({
      'GET /api/promises': (request) =>
        request.url.includes('offset=100')
          ? jsonResponse(200, { promises: [promise({ account_id: 'account-9', lender_account_id: 'FV-9', contact_attempt_id: 'contact-9' })], next_offset: null })
          : jsonResponse(200, { promises: [promise({})], next_offset: 100 }),
    });
    const page = mount(<PromisesList api={api} lenders={LENDERS} refreshKey={0} />);
    await settle();
    await click(buttonByText(page, 'Ver más promesas'));
    expect(urlsOf(requests)).toEqual(['/api/promises?limit=100', '/api/promises?limit=100&offset=100']);
    const accounts = [...page.querySelectorAll('tbody tr a')].map((link) => link.textContent);
    expect(accounts).toEqual(['FV-1', 'FV-9']);
    expect(buttonByText(page, 'Ver más promesas')).toBeNull();
  });

  it('shows the server explanation of a rejected filter', async () => {
    const { api } = stubApi({
      'GET /api/promises': () =>
        jsonResponse(422, { code: 'invalid_input', field: 'to', message: '«to» (2026-07-01) es anterior a «from» (2026-07-10).' }),
    });
    const page = mount(<PromisesList api={api} lenders={LENDERS} refreshKey={0} />);
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('es anterior a');
    expect(page.querySelector('table')).toBeNull();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { FunnelReport } from './FunnelReport';
import { ProductivityReport } from './ProductivityReport';

afterEach(() => {
  document.body.innerHTML = '';
});

function agent(name: string, visits: number, kept: number) {
  return {
    agent_id: name,
    agent_name: name,
    days: 2,
    visits,
    visits_per_day: visits / 2,
    distance_km: 12.345,
    minutes_between_visits: visits > 2 ? 35 : null,
    verified: visits,
    verified_share: 1,
    right_party: 1,
    contact_rate: 1 / visits,
    promises: 2,
    promised_cents: 300_100,
    promises_kept: kept,
    promises_broken: 2 - kept,
    promises_pending: 0,
    kept_cents: kept * 150_050,
    kept_rate: kept / 2,
  };
}

const PRODUCTIVITY = { from: '2026-07-01', to: '2026-07-28', agents: [agent('Ana', 4, 1), agent('Beto', 8, 2)] };

const FUNNEL = {
  from: '2026-07-01',
  to: '2026-07-28',
  paid_any: 3,
  stages: [
    { stage: 'assigned', accounts: 10, rate_from_previous: 1, rate_from_assigned: 1 },
    { stage: 'visited', accounts: 8, rate_from_previous: 0.8, rate_from_assigned: 0.8 },
    { stage: 'contacted', accounts: 5, rate_from_previous: 0.625, rate_from_assigned: 0.5 },
    { stage: 'promised', accounts: 4, rate_from_previous: 0.8, rate_from_assigned: 0.4 },
    { stage: 'paid', accounts: 2, rate_from_previous: 0.5, rate_from_assigned: 0.2 },
  ],
};

function routes(path: string, body: unknown, status = 200) {
  return {
    'GET /api/lenders': () => jsonResponse(200, { lenders: [] }),
    'GET /api/portfolios': () => jsonResponse(200, { portfolios: [] }),
    'GET /api/users': () => jsonResponse(200, { users: [] }),
    [`GET ${path}`]: () => jsonResponse(status, body),
  };
}

function rowNames(page: HTMLElement): string[] {
  return [...page.querySelectorAll('tbody th')].map((cell) => cell.textContent ?? '');
}

describe('ProductivityReport', () => {
  it('lists agents by visits and sorts by a clicked column', async () => {
    const { api } = stubApi(routes('/api/reports/productivity', PRODUCTIVITY));
    const page = mount(<ProductivityReport api={api} />);
    await settle();
    expect(rowNames(page)).toEqual(['Beto', 'Ana']);
    const first = [...page.querySelectorAll('tbody tr')][0]?.textContent;
    expect(first).toContain('12.3');
    expect(first).toContain('2 / 2');
    expect(first).toContain('13 %');

    const nameHeader = [...page.querySelectorAll<HTMLButtonElement>('thead button')].find(
      (button) => button.textContent === 'Gestor',
    );
    await click(nameHeader ?? null);
    expect(rowNames(page)).toEqual(['Ana', 'Beto']);
    expect(nameHeader?.closest('th')?.getAttribute('aria-sort')).toBe('ascending');
    await click(nameHeader ?? null);
    expect(rowNames(page)).toEqual(['Beto', 'Ana']);
    expect(nameHeader?.closest('th')?.getAttribute('aria-sort')).toBe('descending');
  });

  it('shows the server error naming the parameter', async () => {
    const error = { code: 'invalid_input', field: 'from', message: '«from» no puede ser posterior a «to». Cambia el periodo.' };
    const { api } = stubApi(routes('/api/reports/productivity', error, 422));
    const page = mount(<ProductivityReport api={api} />);
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('Cambia el periodo');
    expect(page.querySelector('table')).toBeNull();
  });
});

describe('FunnelReport', () => {
  it('shows each stage with its shares', async () => {
    const { api, requests } = stubApi(routes('/api/reports/funnel', FUNNEL));
    const page = mount(<FunnelReport api={api} />);
    await settle();
    const rows = [...page.querySelectorAll('tbody tr')].map((row) => row.textContent);
    expect(rows).toEqual([
      'Asignadas10100 %100 %',
      'Visitadas880 %80 %',
      'Contacto con el titular563 %50 %',
      'Con promesa de pago480 %40 %',
      'Pagaron250 %20 %',
    ]);
    expect(page.textContent).toContain('visitadas o no: 3');
    expect(page.querySelector('[role=img]')?.getAttribute('aria-label')).toBe(
      'Embudo de cuentas: 10 asignadas, 2 pagaron (20 %).',
    );
    expect(requests.some((request) => request.url.includes('agent_id'))).toBe(false);
  });

  it('explains an empty period', async () => {
    const empty = { ...FUNNEL, stages: FUNNEL.stages.map((stage) => ({ ...stage, accounts: 0 })) };
    const { api } = stubApi(routes('/api/reports/funnel', empty));
    const page = mount(<FunnelReport api={api} />);
    await settle();
    expect(page.textContent).toContain('No hay cuentas asignadas en este periodo');
  });
});

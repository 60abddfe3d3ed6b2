import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, selectOption, settle, stubApi } from '../accounts/testing';
import type { VisitSummary } from './api';
import { VisitsList } from './VisitsList';

const VISIT: VisitSummary = {
  id: '0193a5f0-0000-7000-8000-000000000002',
  agent_id: 'u-beto',
  agent_name: 'Beto Ramírez',
  account_id: 'a-1',
  lender_account_id: 'FV-1',
  lender_id: 'l-1',
  lender_name: 'Financiera del Valle',
  portfolio_id: 'p-1',
  portfolio_name: 'Julio 2026',
  debtor_name: 'Titular FV-1',
  address_text: 'Durango 100, Roma Norte',
  started_at: 1_784_138_400_000,
  finished_at: 1_784_138_760_000,
  received_at: 1_784_138_770_000,
  status: 'complete',
  result_code: 'PTP',
  result_label_es: 'Promesa de pago',
  result_label_en: 'Promise to pay',
  verdict: 'doubtful',
  exception: 'pin_correction',
  pin_state: 'pending',
  assigned_to_agent: true,
};

const CATALOG = {
  'GET /api/users': () =>
    jsonResponse(200, {
      users: [
        { id: 'u-beto', email: 'beto@example.mx', name: 'Beto Ramírez', role: 'agent', active: true },
        { id: 'u-ana', email: 'ana@example.mx', name: 'Ana Salinas', role: 'admin', active: true },
      ],
    }),
  'GET /api/lenders': () => jsonResponse(200, { lenders: [] }),
  'GET /api/portfolios': () => jsonResponse(200, { portfolios: [] }),
};

afterEach(() => {
  document.body.innerHTML = '';
});

describe('VisitsList', () => {
  it('links each visit to its evidence page', async () => {
    const { api } = stubApi({
      ...CATALOG,
      'GET /api/visits': () => jsonResponse(200, { visits: [VISIT], next_cursor: null }),
    });
    const container = mount(<VisitsList api={api} />);
    await settle();

    const link = container.querySelector('tbody a');
    expect(link?.getAttribute('href')).toBe(`#/visits/${VISIT.id}`);
    const row = container.querySelector('tbody tr')?.textContent ?? '';
    expect(row).toContain('Beto Ramírez');
    expect(row).toContain('Promesa de pago');
    expect(row).toContain('Dudosa');
    expect(row).toContain('Ubicación por revisar');
  });

  it('sends the chosen filters and shows the no-match state', async () => {
    const { api, requests } = stubApi({
      ...CATALOG,
      'GET /api/visits': () => jsonResponse(200, { visits: [], next_cursor: null }),
    });
    const container = mount(<VisitsList api={api} />);
    await settle();
    expect(container.textContent).toContain('Aún no hay visitas');

    const selects = container.querySelectorAll('select');
    await selectOption(selects[0]!, 'u-beto');
    await selectOption(selects[3]!, 'rejected');
    await act(async () => {
      container.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    });
    await settle();

    const last = new URL(requests.filter((request) => request.url.startsWith('/api/visits')).at(-1)!.url, 'http://x');
    expect(last.searchParams.get('agent_id')).toBe('u-beto');
    expect(last.searchParams.get('verdict')).toBe('rejected');
    expect(container.textContent).toContain('Ninguna visita coincide con los filtros');
  });

  it('reads the next page with the cursor', async () => {
    const older = { ...VISIT, id: '0193a5f0-0000-7000-8000-000000000001', agent_name: 'Carla Gestora' };
    const { api, requests } = stubApi({
      ...CATALOG,
      'GET /api/visits': (request) =>
        request.url.includes('cursor=')
          ? jsonResponse(200, { visits: [older], next_cursor: null })
          : jsonResponse(200, { visits: [VISIT], next_cursor: 'next-1' }),
    });
    const container = mount(<VisitsList api={api} />);
    await settle();

    await click(buttonByText(container, 'Ver visitas anteriores'));

    expect(container.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(requests.some((request) => request.url.includes('cursor=next-1'))).toBe(true);
    expect(buttonByText(container, 'Ver visitas anteriores')).toBeNull();
  });

  it('shows the server error with a retry', async () => {
    let fail = true;
    const { api } = stubApi({
      ...CATALOG,
      'GET /api/visits': () =>
        fail
          ? jsonResponse(400, {
              code: 'invalid_input',
              message: '«from» debe ser una fecha AAAA-MM-DD, por ejemplo 2026-12-04; se recibió «x».',
              field: 'from',
            })
          : jsonResponse(200, { visits: [VISIT], next_cursor: null }),
    });
    const container = mount(<VisitsList api={api} />);
    await settle();

    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('No se pudieron cargar las visitas.');
    fail = false;
    await click(buttonByText(container, 'Reintentar'));
    expect(container.querySelectorAll('tbody tr')).toHaveLength(1);
  });
});

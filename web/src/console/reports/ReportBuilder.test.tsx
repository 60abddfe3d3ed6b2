import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { chartOptions } from './chartOptions';
import type { ReportResult } from './customApi';
import { ReportBuilder, toggle } from './ReportBuilder';
import { ReportsPage, REPORT_TABS } from './ReportsPage';

afterEach(() => {
  document.body.innerHTML = '';
});

const RESULT: ReportResult = {
  from: '2026-07-01',
  to: '2026-07-30',
  dimensions: ['verdict'],
  measures: ['attempts', 'contact_rate'],
  rows: [
    { keys: ['rejected'], labels: ['Rechazada'], values: { attempts: 2, contact_rate: 0.5 } },
    { keys: ['verified'], labels: ['Verificada'], values: { attempts: 1, contact_rate: 1 } },
  ],
  totals: { attempts: 3, contact_rate: 0.6667 },
  truncated: false,
};

const SAVED = {
  id: '0190a0b4-0000-7000-8000-000000000001',
  name: 'Veredictos',
  definition: { dimensions: ['verdict'], measures: ['attempts'], filters: {}, period: { last_days: 30 }, chart: 'bars' },
  created_at: '2026-07-30T12:00:00Z',
  updated_at: '2026-07-30T12:00:00Z',
};

function routes(extra: Record<string, () => Response> = {}) {
  return {
    'GET /api/lenders': () => jsonResponse(200, { lenders: [] }),
    'GET /api/portfolios': () => jsonResponse(200, { portfolios: [] }),
    'GET /api/users': () => jsonResponse(200, { users: [] }),
    'GET /api/reports/saved': () => jsonResponse(200, []),
    'POST /api/reports/query': () => jsonResponse(200, RESULT),
    ...extra,
  };
}

function click(element: Element | null) {
  if (element === null) throw new Error('element not found');
  act(() => {
    (element as HTMLElement).click();
  });
}

describe('ReportBuilder', () => {
  it('sends the chosen dimensions, filters and period', async () => {
    const { api, requests } = stubApi(routes());
    const page = mount(<ReportBuilder api={api} />);
    await settle();
    click(page.querySelector('input[name=dimension][value=agent]'));
    click(page.querySelector('input[name=dimension][value=verdict]'));
    click(page.querySelector('input[name=verdict][value=rejected]'));
    click(page.querySelector('button[type=submit]'));
    await settle();
    const sent = requests.find((request) => request.method === 'POST');
    expect(JSON.parse(String(sent?.body))).toEqual({
      dimensions: ['verdict'],
      measures: ['attempts', 'contact_rate'],
      filters: { verdict: ['rejected'] },
      period: { last_days: 30 },
      chart: 'bars',
    });
    const rows = [...page.querySelectorAll('tbody tr')].map((row) => row.textContent);
    expect(rows).toEqual(['Rechazada250 %', 'Verificada1100 %']);
    expect(page.querySelector('tfoot')?.textContent).toBe('Total367 %');
    expect(page.querySelector('table caption')?.textContent).toBe('Del 2026-07-01 al 2026-07-30');
  });

  it('disables a fourth dimension', async () => {
    const { api } = stubApi(routes());
    const page = mount(<ReportBuilder api={api} />);
    await settle();
    click(page.querySelector('input[name=dimension][value=hour]'));
    click(page.querySelector('input[name=dimension][value=zone]'));
    const date = page.querySelector<HTMLInputElement>('input[name=dimension][value=date]');
    expect(date?.disabled).toBe(true);
  });

  it('shows the server error of a bad period', async () => {
    const { api } = stubApi(
      routes({
        'POST /api/reports/query': () =>
          jsonResponse(422, {
            code: 'invalid_input',
            message: 'El parámetro «period.last_days» debe ser un número entero entre 1 y 366.',
            field: 'period.last_days',
          }),
      }),
    );
    const page = mount(<ReportBuilder api={api} />);
    await settle();
    click(page.querySelector('button[type=submit]'));
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('period.last_days');
  });

  it('opens a saved report with its downloads and links', async () => {
    const { api } = stubApi(
      routes({
        'GET /api/reports/saved': () => jsonResponse(200, [SAVED]),
        [`GET /api/reports/saved/${SAVED.id}/shares`]: () =>
          jsonResponse(200, [
            { id: 's1', report_id: SAVED.id, created_at: '2026-07-30T12:00:00Z', expires_at: '2026-08-06T12:00:00Z', revoked_at: null, active: true },
          ]),
      }),
    );
    const page = mount(<ReportBuilder api={api} />);
    await settle();
    click(page.querySelector('.reports__saved button'));
    await settle();
    expect(page.querySelector<HTMLInputElement>('input[name=report-name]')?.value).toBe('Veredictos');
    const links = [...page.querySelectorAll<HTMLAnchorElement>('.reports__downloads a')].map((link) => link.getAttribute('href'));
    expect(links).toEqual([`/api/reports/saved/${SAVED.id}/export?format=csv`, `/api/reports/saved/${SAVED.id}/export?format=xlsx`]);
    expect(page.querySelector('.reports__share tbody')?.textContent).toContain('Revocar');
  });
});

describe('report helpers', () => {
  it('toggles a value in a list', () => {
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggle(['a'], 'c')).toEqual(['a', 'c']);
  });

  it('draws bars per measure and a heatmap only with two dimensions', () => {
    const bars = chartOptions('bars', RESULT, (measure) => measure, 'Pesos');
    expect((bars?.series as { data: number[] }[])[0]?.data).toEqual([2, 1]);
    expect((bars?.series as { yAxisIndex: number }[])[1]?.yAxisIndex).toBe(1);
    expect(chartOptions('heatmap', RESULT, (measure) => measure, 'Pesos')).toBeNull();
    expect(chartOptions('table', RESULT, (measure) => measure, 'Pesos')).toBeNull();
  });

  it('lists tabs from data, so another view is one more entry', () => {
    const ids = REPORT_TABS.map((tab) => tab.id);
    expect(ids[0]).toBe('contact-hours');
    expect(ids).toEqual(expect.arrayContaining(['builder', 'result-codes', 'lenders', 'exceptions']));
    expect(new Set(ids).size).toBe(ids.length);
    const { api } = stubApi(routes());
    const page = mount(<ReportsPage api={api} tabs={[{ id: 'x', label: 'reports.tab.builder', view: () => <p>vista</p> }]} />);
    expect(page.querySelector('[role=tab]')?.textContent).toBe('Reporte personalizado');
    expect(page.querySelector('[role=tabpanel]')?.textContent).toBe('vista');
  });
});

import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { ReportsPage } from './ReportsPage';

afterEach(() => {
  document.body.innerHTML = '';
});

const REPORT = {
  from: '2026-07-01',
  to: '2026-07-28',
  attempts: 12,
  right_party: 7,
  successes: 5,
  cells: [
    { weekday: 3, hour: 17, attempts: 8, right_party: 6, successes: 5, contact_rate: 0.75, success_rate: 0.625, promises: 5, promised_cents: 750_000 },
    { weekday: 1, hour: 9, attempts: 4, right_party: 1, successes: 0, contact_rate: 0.25, success_rate: 0, promises: 0, promised_cents: 0 },
  ],
};

function routes(report: unknown, status = 200) {
  return {
    'GET /api/lenders': () => jsonResponse(200, { lenders: [] }),
    'GET /api/portfolios': () => jsonResponse(200, { portfolios: [] }),
    'GET /api/users': () => jsonResponse(200, { users: [] }),
    'GET /api/reports/contact-hours': () => jsonResponse(status, report),
    'GET /api/reports/zones': () =>
      jsonResponse(200, { zones: [{ state: 'Quintana Roo', municipality: 'Benito Juárez', zone: 'Quintana Roo|Benito Juárez' }] }),
  };
}

describe('ReportsPage', () => {
  it('ranks the hours in a table with weekday and local hours', async () => {
    const { api } = stubApi(routes(REPORT));
    const page = mount(<ReportsPage api={api} />);
    await settle();
    const rows = [...page.querySelectorAll('tbody tr')].map((row) => row.textContent);
    expect(rows).toEqual(['Miércoles17:00–18:00875 %63 %', 'Lunes09:00–10:00425 %0 %']);
    expect(page.textContent).toContain('Del 2026-07-01 al 2026-07-28: 12 intentos, 58 % de contacto con el titular, 42 % de éxito.');
    const links = [...page.querySelectorAll<HTMLAnchorElement>('.reports__downloads a')].map((link) => link.getAttribute('href'));
    expect(links).toEqual(['/api/reports/contact-hours/export?format=csv', '/api/reports/contact-hours/export?format=xlsx']);
    const chart = page.querySelector('[role=img]');
    expect(chart?.getAttribute('aria-label')).toBe(
      'Mapa de calor de Tasa de éxito. El mejor horario es Miércoles de 17:00–18:00, con 63 %.',
    );
  });

  it('filters by zone and exports the same zone', async () => {
    const { api, requests } = stubApi(routes(REPORT));
    const page = mount(<ReportsPage api={api} />);
    await settle();
    const zone = [...page.querySelectorAll('label')].find((label) => label.textContent?.startsWith('Zona'));
    const select = zone?.querySelector('select');
    expect([...(select?.options ?? [])].map((option) => option.textContent)).toEqual(['Todos', 'Benito Juárez, Quintana Roo']);
    await act(async () => {
      select!.value = 'Quintana Roo|Benito Juárez';
      select!.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    const encoded = 'zone=Quintana+Roo%7CBenito+Ju%C3%A1rez';
    expect(requests.at(-1)?.url).toBe(`/api/reports/contact-hours?${encoded}`);
    const csv = page.querySelector<HTMLAnchorElement>('.reports__downloads a')?.getAttribute('href');
    expect(csv).toBe(`/api/reports/contact-hours/export?${encoded}&format=csv`);
  });

  it('says what to do when the period has no visits', async () => {
    const { api } = stubApi(routes({ ...REPORT, attempts: 0, right_party: 0, successes: 0, cells: [] }));
    const page = mount(<ReportsPage api={api} />);
    await settle();
    expect(page.textContent).toContain('No hay visitas en este periodo');
    expect(page.querySelector('table')).toBeNull();
  });

  it('shows the server error for a bad period', async () => {
    const { api } = stubApi(
      routes({ code: 'invalid_input', field: 'from', message: '«from» no puede ser posterior a «to». Cambia el periodo.' }, 422),
    );
    const page = mount(<ReportsPage api={api} />);
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('Cambia el periodo');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { PaymentsImport } from './PaymentsImport';
import { buttonByText, chooseFile, click, jsonResponse, mount, settle, stubApi } from './testing';

afterEach(() => {
  document.body.innerHTML = '';
});

const LENDER = { id: 'lender-1', name: 'Financiera del Valle', redeco_registration: null };

const PROBLEM = {
  row: 3,
  column: 'Crédito',
  value: 'FV-9',
  code: 'unknown_account',
  message: 'El crédito «FV-9» no existe en la cartera de este otorgante.',
  fix: 'Revisa el número o importa primero la cuenta con su cartera.',
};

function report(overrides: Record<string, unknown>) {
  return {
    dry_run: true,
    committed: false,
    rows_read: 2,
    valid_rows: 2,
    created: 2,
    duplicates: 0,
    promises_changed: 1,
    rejected: 0,
    problems: [],
    problems_truncated: false,
    ...overrides,
  };
}

const NO_PROMISES = { promises: [], next_offset: null };

const FILE = new File(['credito,fecha,monto\nFV-1,2026-07-16,1000\n'], 'pagos.csv', { type: 'text/csv' });

describe('PaymentsImport', () => {
  it('lists row problems and keeps the import disabled', async () => {
    const dryRun = report({ valid_rows: 1, created: 1, rejected: 1, problems: [PROBLEM] });
    const { api, requests } = stubApi({
      'GET /api/lenders': () => jsonResponse(200, { lenders: [LENDER] }),
      'GET /api/promises': () => jsonResponse(200, NO_PROMISES),
      'POST /api/payments/preview': () => jsonResponse(200, dryRun),
    });
    const page = mount(<PaymentsImport api={api} onClose={() => {}} />);
    await settle();
    await chooseFile(page.querySelector('input[type=file]'), FILE);
    await click(buttonByText(page, 'Revisar archivo'));

    const sent = requests.find((request) => request.url.endsWith('/api/payments/preview'));
    expect(sent?.body).toBeInstanceOf(FormData);
    expect((sent?.body as FormData).get('lender_id')).toBe('lender-1');
    expect(page.querySelector('tbody tr')?.textContent).toContain('3CréditoFV-9');
    expect(page.textContent).toContain('1 filas con problemas');
    expect(buttonByText(page, 'Importar pagos')?.disabled).toBe(true);
  });

  it('imports a clean file after the dry run', async () => {
    const { api, requests } = stubApi({
      'GET /api/lenders': () => jsonResponse(200, { lenders: [LENDER] }),
      'GET /api/promises': () => jsonResponse(200, NO_PROMISES),
      'POST /api/payments/preview': () => jsonResponse(200, report({})),
      'POST /api/payments': () => jsonResponse(200, report({ dry_run: false, committed: true })),
    });
    const onClose = vi.fn();
    const page = mount(<PaymentsImport api={api} onClose={onClose} />);
    await settle();
    await chooseFile(page.querySelector('input[type=file]'), FILE);
    await click(buttonByText(page, 'Revisar archivo'));
    const commit = buttonByText(page, 'Importar pagos');
    expect(commit?.disabled).toBe(false);
    await click(commit);
    expect(requests.filter((request) => request.method === 'POST').map((request) => request.url)).toEqual([
      '/api/payments/preview',
      '/api/payments',
    ]);
    expect(page.querySelector('[role=status]')?.textContent).toContain('Se importaron 2 pagos');
    // The promises list reads again after the import, to show the new statuses.
    expect(requests.filter((request) => request.url.startsWith('/api/promises')).length).toBe(2);
    await click(buttonByText(page, 'Volver a cuentas'));
    expect(onClose).toHaveBeenCalled();
  });

  it('shows the rows again when the import is rejected', async () => {
    const rejected = report({ dry_run: false, rejected: 1, problems: [PROBLEM] });
    let previews = 0;
    const { api } = stubApi({
      'GET /api/lenders': () => jsonResponse(200, { lenders: [LENDER] }),
      'GET /api/promises': () => jsonResponse(200, NO_PROMISES),
      'POST /api/payments/preview': () => {
        previews += 1;
        return jsonResponse(200, previews === 1 ? report({}) : report({ rejected: 1, problems: [PROBLEM] }));
      },
      'POST /api/payments': () => jsonResponse(422, rejected),
    });
    const page = mount(<PaymentsImport api={api} onClose={() => {}} />);
    await settle();
    await chooseFile(page.querySelector('input[type=file]'), FILE);
    await click(buttonByText(page, 'Revisar archivo'));
    await click(buttonByText(page, 'Importar pagos'));
    expect(previews).toBe(2);
    expect(page.querySelector('[role=alert]')?.textContent).toContain('Corrige las filas con problemas');
    expect(page.querySelector('tbody tr')?.textContent).toContain('3CréditoFV-9');
    expect(buttonByText(page, 'Importar pagos')?.disabled).toBe(true);
  });

  it('asks for the file before checking', async () => {
    const { api, requests } = stubApi({
      'GET /api/lenders': () => jsonResponse(200, { lenders: [LENDER] }),
      'GET /api/promises': () => jsonResponse(200, NO_PROMISES),
    });
    const page = mount(<PaymentsImport api={api} onClose={() => {}} />);
    await settle();
    await click(buttonByText(page, 'Revisar archivo'));
    expect(page.querySelector('[role=alert]')?.textContent).toBe('Elige el otorgante y el archivo de pagos.');
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });
});

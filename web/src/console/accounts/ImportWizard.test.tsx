import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportJob, ImportPreview, ImportReport, Portfolio } from '../../shared/types';
import { ImportWizard } from './ImportWizard';
import { findMappingIssues } from './MappingStep';
import { buttonByText, chooseFile, click, jsonResponse, mount, selectOption, settle, stubApi } from './testing';

const PORTFOLIOS: Portfolio[] = [
  {
    id: 'p1',
    lender_id: 'l1',
    lender_name: 'Financiera del Bajío',
    name: 'Noviembre 2026',
    account_count: 0,
    created_at: '2026-11-01T10:00:00Z',
  },
  {
    id: 'p2',
    lender_id: 'l1',
    lender_name: 'Financiera del Bajío',
    name: 'Diciembre 2026',
    account_count: 0,
    created_at: '2026-12-01T10:00:00Z',
  },
];

const PREVIEW: ImportPreview = {
  file_name: 'cartera.csv',
  format: { kind: 'csv', encoding: 'windows-1252', delimiter: ';', sheet: null },
  sheets: [],
  headers: ['Crédito', 'Cliente', 'Saldo', 'Notas'],
  header_row: 1,
  rows: 4,
  mapping: ['lender_account_id', 'debtor_name', 'overdue_amount', null],
  fields: [
    { field: 'lender_account_id', label: 'No. de crédito' },
    { field: 'debtor_name', label: 'Nombre del cliente' },
    { field: 'overdue_amount', label: 'Saldo vencido' },
  ],
  sample: [
    ['B-1', 'Ana', '$12,345.50', ''],
    ['B-2', 'Luis', '100', ''],
  ],
};

const DRY_RUN: ImportReport = {
  dry_run: true,
  rows_read: 4,
  created: 2,
  updated: 0,
  unchanged: 0,
  rejected: 2,
  problems: [
    {
      row: 4,
      column: 'Crédito',
      value: 'B-1',
      code: 'duplicate_account_id',
      message: 'El crédito «B-1» ya aparece en la fila 2.',
      fix: 'Deja una sola fila por crédito o corrige el número.',
    },
    {
      row: 5,
      column: 'Cliente',
      value: '',
      code: 'missing_debtor_name',
      message: 'Falta el nombre del cliente.',
      fix: 'Escribe el nombre completo del titular.',
    },
  ],
  problems_truncated: true,
};

function csvFile(): File {
  return new File(['Crédito;Cliente;Saldo;Notas\n'], 'cartera.csv', { type: 'text/csv' });
}

function job(id: string, state: ImportJob['state'], report: ImportReport | null, rowsRead = 0): ImportJob {
  return {
    id,
    state,
    dry_run: id === 'dry',
    file_name: 'cartera.csv',
    rows_read: rowsRead,
    started_at: '2026-12-05T10:00:00Z',
    finished_at: state === 'running' ? null : '2026-12-05T10:00:02Z',
    report,
    error: null,
  };
}

const polls = new Map<string, number>();

function nextJobAnswer(id: string, report: ImportReport): Response {
  const count = (polls.get(id) ?? 0) + 1;
  polls.set(id, count);
  return count === 1 ? jsonResponse(200, job(id, 'running', null, 2)) : jsonResponse(200, job(id, 'finished', report, 4));
}

function routes() {
  polls.clear();
  return {
    'POST /api/imports/preview': () => jsonResponse(200, PREVIEW),
    'GET /api/lenders/l1/import-templates': () =>
      jsonResponse(200, {
        templates: [
          {
            id: 't1',
            name: 'Formato Bajío',
            columns: [
              { header: 'Notas', field: 'debtor_name' },
              { header: 'CLIENTE', field: null },
              { header: 'Crédito', field: 'lender_account_id' },
            ],
          },
        ],
      }),
    'POST /api/imports/jobs': (request: { body: BodyInit | null | undefined }) => {
      const body = request.body as FormData;
      const dryRun = body.get('dry_run') === 'true';
      return jsonResponse(202, job(dryRun ? 'dry' : 'real', 'running', null));
    },
    // Each job reports progress once, then its report.
    'GET /api/imports/jobs/dry': () => nextJobAnswer('dry', DRY_RUN),
    'GET /api/imports/jobs/real': () =>
      nextJobAnswer('real', { ...DRY_RUN, dry_run: false, problems_truncated: false }),
  };
}

function heading(container: HTMLElement): string {
  return container.querySelector('.import-wizard__step-title')!.textContent ?? '';
}

describe('findMappingIssues', () => {
  it('names unmapped required fields', () => {
    const issues = findMappingIssues(PREVIEW, [null, null, 'overdue_amount', null]);
    expect(issues.missing.map((option) => option.label)).toEqual(['No. de crédito', 'Nombre del cliente']);
    expect(issues.duplicates).toEqual([]);
  });

  it('lists columns sharing a field', () => {
    const issues = findMappingIssues(PREVIEW, ['lender_account_id', 'debtor_name', 'debtor_name', null]);
    expect(issues.missing).toEqual([]);
    expect(issues.duplicates).toEqual([
      { field: { field: 'debtor_name', label: 'Nombre del cliente' }, headers: ['Cliente', 'Saldo'] },
    ]);
  });
});

describe('ImportWizard', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('requires a portfolio before mapping', async () => {
    const { api } = stubApi(routes());
    const container = mount(<ImportWizard api={api} portfolios={PORTFOLIOS} onClose={vi.fn()} pollMs={0} />);

    await chooseFile(container.querySelector('#import-file'), csvFile());
    await click(buttonByText(container, 'Continuar'));

    expect(container.querySelector('#import-error')!.textContent).toBe('Elige la cartera de destino.');
    expect(container.querySelector('#import-portfolio')!.getAttribute('aria-invalid')).toBe('true');
    expect(heading(container)).toBe('Paso 1 de 4: Archivo');
  });

  it('shows an unreadable file message', async () => {
    const { api } = stubApi({
      'POST /api/imports/preview': () =>
        jsonResponse(422, {
          code: 'unreadable_file',
          message: 'El archivo no es CSV ni XLSX.',
          field: 'file',
        }),
    });
    const container = mount(<ImportWizard api={api} portfolios={PORTFOLIOS} onClose={vi.fn()} pollMs={0} />);

    await chooseFile(container.querySelector('#import-file'), csvFile());

    expect(container.querySelector('#import-error')!.textContent).toBe('El archivo no es CSV ni XLSX.');
    expect(container.querySelector('#import-file')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('warns and blocks when a required field is unmapped', async () => {
    const { api, requests } = stubApi(routes());
    const container = mount(<ImportWizard api={api} portfolios={PORTFOLIOS} onClose={vi.fn()} pollMs={0} />);
    await selectOption(container.querySelector('#import-portfolio'), 'p1');
    await chooseFile(container.querySelector('#import-file'), csvFile());
    expect(container.textContent).toContain('cartera.csv: 4 filas de datos, encabezados en la fila 1.');
    expect(container.textContent).toContain('separador punto y coma (;)');

    await click(buttonByText(container, 'Continuar'));
    expect(heading(container)).toBe('Paso 2 de 4: Columnas');
    expect(container.querySelector<HTMLSelectElement>('#mapping-field-0')!.value).toBe('lender_account_id');
    expect(container.querySelector<HTMLSelectElement>('#mapping-field-3')!.value).toBe('');

    await selectOption(container.querySelector('#mapping-field-1'), '');

    expect(container.querySelector('#mapping-warnings')!.textContent).toBe(
      'Falta asignar: Nombre del cliente. Sin estos campos no se puede importar.',
    );
    expect(buttonByText(container, 'Revisar sin importar')!.disabled).toBe(true);
    expect(requests.filter((request) => request.url === '/api/imports/jobs')).toEqual([]);
  });

  it('applies a saved template by header', async () => {
    const { api } = stubApi(routes());
    const container = mount(<ImportWizard api={api} portfolios={PORTFOLIOS} onClose={vi.fn()} pollMs={0} />);
    await selectOption(container.querySelector('#import-portfolio'), 'p1');
    await chooseFile(container.querySelector('#import-file'), csvFile());
    await click(buttonByText(container, 'Continuar'));

    await selectOption(container.querySelector('#import-template-choice'), 't1');
    await click(buttonByText(container, 'Aplicar plantilla'));

    const fields = [0, 1, 2, 3].map(
      (column) => container.querySelector<HTMLSelectElement>(`#mapping-field-${column}`)!.value,
    );
    expect(fields).toEqual(['lender_account_id', '', 'overdue_amount', 'debtor_name']);
    expect(container.querySelector('.template-picker [role="status"]')!.textContent).toBe(
      'Se aplicó la plantilla «Formato Bajío». Columnas que la plantilla no conoce (conservan la sugerencia): Saldo.',
    );
  });

  it('runs dry run, then imports with template', async () => {
    const onClose = vi.fn();
    const { api, requests } = stubApi(routes());
    const container = mount(<ImportWizard api={api} portfolios={PORTFOLIOS} onClose={onClose} pollMs={0} />);
    await selectOption(container.querySelector('#import-portfolio'), 'p1');
    await chooseFile(container.querySelector('#import-file'), csvFile());
    await click(buttonByText(container, 'Continuar'));

    const template = container.querySelector<HTMLInputElement>('#import-template-name')!;
    template.value = 'Formato Bajío';
    template.dispatchEvent(new Event('input', { bubbles: true }));
    await click(buttonByText(container, 'Revisar sin importar'));

    expect(heading(container)).toBe('Paso 3 de 4: Revisión');
    const rows = [...container.querySelectorAll('.problems-table tbody tr')].map((row) =>
      [...row.children].map((cell) => cell.textContent),
    );
    expect(rows).toEqual([
      ['4', 'Crédito', 'B-1', 'El crédito «B-1» ya aparece en la fila 2.', 'Deja una sola fila por crédito o corrige el número.'],
      ['5', 'Cliente', '(vacía)', 'Falta el nombre del cliente.', 'Escribe el nombre completo del titular.'],
    ]);
    expect(container.textContent).toContain('Solo se muestran los primeros 2 problemas.');
    expect(container.textContent).toContain('Cuentas nuevas2');

    const dryRunBody = requests.find((request) => request.url === '/api/imports/jobs')!.body as FormData;
    expect(dryRunBody.get('dry_run')).toBe('true');
    expect(dryRunBody.get('portfolio_id')).toBe('p1');
    expect(dryRunBody.has('template_name')).toBe(false);

    await click(buttonByText(container, 'Importar'));

    expect(heading(container)).toBe('Paso 4 de 4: Importación');
    expect(container.textContent).toContain('Cuentas creadas2');
    const importBody = requests.filter((request) => request.url === '/api/imports/jobs').at(-1)!.body as FormData;
    expect(importBody.get('dry_run')).toBe('false');
    expect(importBody.get('template_name')).toBe('Formato Bajío');
    expect(JSON.parse(String(importBody.get('mapping')))).toEqual(PREVIEW.mapping);

    await click(buttonByText(container, 'Ver las cuentas de la cartera'));
    expect(onClose).toHaveBeenCalledWith('p1');
  });

  it('shows rows read while the dry run runs', async () => {
    let release: (response: Response) => void = () => {};
    const held = new Promise<Response>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const { api } = stubApi({
      ...routes(),
      'GET /api/imports/jobs/dry': () => {
        calls += 1;
        return calls === 1 ? jsonResponse(200, job('dry', 'running', null, 2)) : held;
      },
    });
    const container = mount(<ImportWizard api={api} portfolios={PORTFOLIOS} onClose={vi.fn()} pollMs={0} />);
    await selectOption(container.querySelector('#import-portfolio'), 'p1');
    await chooseFile(container.querySelector('#import-file'), csvFile());
    await click(buttonByText(container, 'Continuar'));
    await click(buttonByText(container, 'Revisar sin importar'));

    const progress = container.querySelector<HTMLProgressElement>('#import-progress')!;
    expect(progress.value).toBe(2);
    expect(progress.max).toBe(4);
    expect(container.querySelector('label[for="import-progress"]')!.textContent).toBe(
      'Revisando el archivo… 2 de 4 filas',
    );

    release(jsonResponse(200, job('dry', 'finished', DRY_RUN, 4)));
    await settle();
    expect(heading(container)).toBe('Paso 3 de 4: Revisión');
  });

  it('says nothing was saved when import fails', async () => {
    const { api } = stubApi({
      ...routes(),
      'GET /api/imports/jobs/real': () =>
        jsonResponse(200, {
          ...job('real', 'failed', null, 3),
          error: { code: 'internal', message: 'Error interno.', field: null },
        }),
    });
    const container = mount(<ImportWizard api={api} portfolios={PORTFOLIOS} onClose={vi.fn()} pollMs={0} />);
    await selectOption(container.querySelector('#import-portfolio'), 'p1');
    await chooseFile(container.querySelector('#import-file'), csvFile());
    await click(buttonByText(container, 'Continuar'));
    await click(buttonByText(container, 'Revisar sin importar'));
    await click(buttonByText(container, 'Importar'));

    expect(heading(container)).toBe('Paso 3 de 4: Revisión');
    expect(container.querySelector('#import-error')!.textContent).toBe(
      'Error interno. La importación no se completó y no se guardó ninguna cuenta.',
    );
  });

  it('re-reads the file for another sheet', async () => {
    const workbook: ImportPreview = {
      ...PREVIEW,
      file_name: 'cartera.xlsx',
      format: { kind: 'xlsx', encoding: null, delimiter: null, sheet: 'Resumen' },
      sheets: ['Resumen', 'Cuentas'],
    };
    const { api, requests } = stubApi({ 'POST /api/imports/preview': () => jsonResponse(200, workbook) });
    const container = mount(<ImportWizard api={api} portfolios={PORTFOLIOS} onClose={vi.fn()} pollMs={0} />);

    await chooseFile(container.querySelector('#import-file'), new File(['x'], 'cartera.xlsx'));
    expect(container.textContent).toContain('Libro de Excel, hoja «Resumen».');

    await selectOption(container.querySelector('#import-sheet'), 'Cuentas');

    expect(requests).toHaveLength(2);
    expect((requests[1]!.body as FormData).get('sheet')).toBe('Cuentas');
  });
});

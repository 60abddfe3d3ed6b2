import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { ApiError } from '../../shared/api';
import { jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { EMPTY_DEFINITION, ReportBuilder } from './ReportBuilder';
import { exportDefinition } from './customExport';

const EXPORT = 'POST /api/reports/query/export';

function routes(exported: () => Response | Promise<Response>) {
  return {
    'GET /api/lenders': () => jsonResponse(200, { lenders: [] }),
    'GET /api/users': () => jsonResponse(200, { users: [] }),
    'GET /api/reports/saved': () => jsonResponse(200, []),
    [EXPORT]: exported,
  };
}

const REJECTION = {
  code: 'invalid_input',
  message: 'El parámetro «period.last_days» debe ser un número entero entre 1 y 366.',
  field: 'period.last_days',
};

function csvResponse(): Response {
  return new Response('\ufeffGestor,Intentos\r\nTotal,3\r\n', {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="reporte-2026-11-01-2026-11-30.csv"',
    },
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('exportDefinition', () => {
  it('posts without a session round trip', async () => {
    const { api, requests } = stubApi(routes(csvResponse));
    const file = await exportDefinition(api, EMPTY_DEFINITION, 'csv');

    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /api/reports/query/export?format=csv',
    ]);
    expect(JSON.parse(String(requests[0]?.body))).toEqual(EMPTY_DEFINITION);
    expect(file.name).toBe('reporte-2026-11-01-2026-11-30.csv');
    expect(await file.blob.text()).toContain('Gestor,Intentos');
  });

  it('keeps workbook bytes and falls back to a name', async () => {
    // An XLSX starts with the ZIP signature. The bytes 0xff and 0x80 are invalid UTF-8 alone.
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0x80, 0x00, 0xc3]);
    const { api } = stubApi(routes(() => new Response(bytes, { status: 200 })));
    const file = await exportDefinition(api, EMPTY_DEFINITION, 'xlsx');

    expect(file.name).toBe('reporte.xlsx');
    expect(new Uint8Array(await file.blob.arrayBuffer())).toEqual(bytes);
  });

  it('raises the server rejection with its field', async () => {
    const { api } = stubApi(routes(() => jsonResponse(422, REJECTION)));
    const failure = await exportDefinition(api, EMPTY_DEFINITION, 'xlsx').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(422);
    expect((failure as ApiError).field).toBe('period.last_days');
    expect((failure as ApiError).message).toBe(REJECTION.message);
  });

  it('reports an unreachable server as a network error', async () => {
    const { api } = stubApi(
      routes(() => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const failure = await exportDefinition(api, EMPTY_DEFINITION, 'csv').catch((error: unknown) => error);
    expect((failure as ApiError).code).toBe('network_error');
  });
});

function button(page: HTMLElement, text: string): HTMLButtonElement {
  const found = [...page.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent === text);
  if (found === undefined) throw new Error(`button ${text} not found`);
  return found;
}

describe('ReportBuilder export', () => {
  it('downloads the current definition under the server file name', async () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:reporte');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });

    const { api, requests } = stubApi(routes(csvResponse));
    const page = mount(<ReportBuilder api={api} />);
    await settle();
    act(() => button(page, 'Exportar CSV').click());
    await settle();

    const exports = requests.filter((request) => request.url.startsWith('/api/reports/query/export'));
    expect(exports).toHaveLength(1);
    expect(clicked).toEqual(['reporte-2026-11-01-2026-11-30.csv']);
    expect(page.querySelector('[role=status]')?.textContent).toBe('Se descargó «reporte-2026-11-01-2026-11-30.csv».');
    expect(page.querySelector('[role=alert]')).toBeNull();
  });

  it('shows the Spanish rejection naming the field', async () => {
    const { api } = stubApi(routes(() => jsonResponse(422, REJECTION)));
    const page = mount(<ReportBuilder api={api} />);
    await settle();
    act(() => button(page, 'Exportar XLSX').click());
    await settle();

    const alert = page.querySelector('[role=alert]')?.textContent ?? '';
    expect(alert).toBe(REJECTION.message);
    expect(alert).toContain('period.last_days');
    expect(button(page, 'Exportar XLSX').disabled).toBe(false);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { ApiError } from '../../shared/api';
import { jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { EMPTY_DEFINITION, ReportBuilder } from './ReportBuilder';
import { exportDefinition, fileNameFrom } from './customExport';

const SESSION = {
  user: { id: 'u1', name: 'Sofía Méndez', email: 'sofia@example.mx', role: 'supervisor' },
  csrf_token: 'csrf-from-session',
};

function routes() {
  return {
    'GET /api/session': () => jsonResponse(200, SESSION),
    'GET /api/lenders': () => jsonResponse(200, { lenders: [] }),
    'GET /api/users': () => jsonResponse(200, { users: [] }),
    'GET /api/reports/saved': () => jsonResponse(200, []),
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
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('fileNameFrom', () => {
  it('reads quoted and bare names', () => {
    expect(fileNameFrom('attachment; filename="reporte-2026-11-01-2026-11-30.xlsx"', 'x')).toBe('reporte-2026-11-01-2026-11-30.xlsx');
    expect(fileNameFrom('attachment; filename=reporte.csv', 'x')).toBe('reporte.csv');
  });

  it('falls back without a usable name', () => {
    expect(fileNameFrom(null, 'reporte.csv')).toBe('reporte.csv');
    expect(fileNameFrom('attachment', 'reporte.csv')).toBe('reporte.csv');
    expect(fileNameFrom('attachment; filename="../../etc/passwd"', 'reporte.csv')).toBe('reporte.csv');
  });
});

describe('exportDefinition', () => {
  it('posts the definition with the session CSRF token', async () => {
    const { api } = stubApi(routes());
    const fetchStub = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => csvResponse());
    const file = await exportDefinition(api, EMPTY_DEFINITION, 'csv', 'es-MX', fetchStub as unknown as typeof fetch);

    expect(fetchStub).toHaveBeenCalledTimes(1);
    const [url, init] = fetchStub.mock.calls[0] ?? [];
    expect(String(url)).toBe('/api/reports/query/export?format=csv');
    expect(init?.method).toBe('POST');
    const headers = init?.headers as Record<string, string>;
    expect(headers['X-CSRF-Token']).toBe('csrf-from-session');
    expect(headers['Accept-Language']).toBe('es-MX');
    expect(JSON.parse(String(init?.body))).toEqual(EMPTY_DEFINITION);
    expect(file.name).toBe('reporte-2026-11-01-2026-11-30.csv');
    expect(await file.blob.text()).toContain('Gestor,Intentos');
  });

  it('raises the server rejection with its field', async () => {
    const { api } = stubApi(routes());
    const fetchStub = async () => jsonResponse(422, REJECTION);
    const failure = await exportDefinition(api, EMPTY_DEFINITION, 'xlsx', 'es-MX', fetchStub as typeof fetch).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(422);
    expect((failure as ApiError).field).toBe('period.last_days');
    expect((failure as ApiError).message).toBe(REJECTION.message);
  });

  it('reports an unreachable server as a network error', async () => {
    const { api } = stubApi(routes());
    const fetchStub = async () => {
      throw new TypeError('Failed to fetch');
    };
    const failure = await exportDefinition(api, EMPTY_DEFINITION, 'csv', 'es-MX', fetchStub as typeof fetch).catch(
      (error: unknown) => error,
    );
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
    const fetchStub = vi.fn(async () => csvResponse());
    vi.stubGlobal('fetch', fetchStub);
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:reporte');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });

    const { api } = stubApi(routes());
    const page = mount(<ReportBuilder api={api} />);
    await settle();
    act(() => button(page, 'Exportar CSV').click());
    await settle();

    expect(fetchStub).toHaveBeenCalledTimes(1);
    expect(clicked).toEqual(['reporte-2026-11-01-2026-11-30.csv']);
    expect(page.querySelector('[role=status]')?.textContent).toBe('Se descargó «reporte-2026-11-01-2026-11-30.csv».');
    expect(page.querySelector('[role=alert]')).toBeNull();
  });

  it('shows the Spanish rejection naming the field', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(422, REJECTION));
    const { api } = stubApi(routes());
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

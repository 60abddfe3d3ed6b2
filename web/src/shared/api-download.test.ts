import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, CSRF_HEADER, NETWORK_ERROR, UNEXPECTED_RESPONSE, fileNameFrom } from './api';

interface RecordedCall {
  url: string;
  init: RequestInit;
  headers: Headers;
}

/** Returns a client whose fetch responds to every request with `respond` and records each call. */
function stubClient(respond: () => Response | Promise<Response>) {
  const calls: RecordedCall[] = [];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {}, headers: new Headers(init?.headers) });
    return respond();
  });
  const api = new ApiClient({ fetch: fetchStub as unknown as typeof fetch, acceptLanguage: () => 'es-MX' });
  return { api, calls };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => new Error('Expected the download to fail'),
    (caught: unknown) => caught,
  );
  if (error instanceof ApiError) return error;
  throw error;
}

// The first bytes of an XLSX (a ZIP file) followed by bytes that are invalid UTF-8, which
// a text decode would replace with U+FFFD.
const WORKBOOK = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x00]);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('ApiClient.download', () => {
  it('returns the body bytes untouched with the server file name', async () => {
    const { api, calls } = stubClient(
      () =>
        new Response(WORKBOOK, {
          status: 200,
          headers: { 'Content-Type': XLSX, 'Content-Disposition': 'attachment; filename="reporte-2026-11.xlsx"' },
        }),
    );
    api.setCsrfToken('token-123');

    const file = await api.download('POST', '/api/reports/query/export?format=xlsx', {
      body: { metrics: ['attempts'] },
      accept: XLSX,
      fallbackName: 'reporte.xlsx',
    });

    expect(file.name).toBe('reporte-2026-11.xlsx');
    expect(new Uint8Array(await file.blob.arrayBuffer())).toEqual(WORKBOOK);
    const call = calls[0]!;
    expect(calls).toHaveLength(1);
    expect(call.url).toBe('/api/reports/query/export?format=xlsx');
    expect(call.init.method).toBe('POST');
    expect(call.init.credentials).toBe('same-origin');
    expect(call.headers.get(CSRF_HEADER)).toBe('token-123');
    expect(call.headers.get('Accept')).toBe(XLSX);
    expect(call.headers.get('Accept-Language')).toBe('es-MX');
    expect(call.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(String(call.init.body))).toEqual({ metrics: ['attempts'] });
  });

  it('sends GET without CSRF token', async () => {
    const { api, calls } = stubClient(() => new Response('a,b\r\n', { status: 200 }));
    api.setCsrfToken('token-123');

    const file = await api.download('GET', '/api/reports/contact-hours/export', { fallbackName: 'reporte.csv' });

    expect(file.name).toBe('reporte.csv');
    expect(await file.blob.text()).toBe('a,b\r\n');
    expect(calls[0]!.headers.get(CSRF_HEADER)).toBeNull();
    expect(calls[0]!.headers.get('Content-Type')).toBeNull();
    expect(calls[0]!.headers.get('Accept')).toBe('*/*');
    expect(calls[0]!.init.body).toBeUndefined();
  });

  it('raises the Spanish message and field of a 422 body', async () => {
    const rejection = {
      code: 'invalid_input',
      message: 'El parámetro «period.last_days» debe ser un número entero entre 1 y 366.',
      field: 'period.last_days',
    };
    const { api } = stubClient(
      () => new Response(JSON.stringify(rejection), { status: 422, headers: { 'Content-Type': 'application/json' } }),
    );

    const error = await failure(api.download('POST', '/api/reports/query/export?format=csv', { fallbackName: 'x.csv' }));

    expect(error.status).toBe(422);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe(rejection.message);
    expect(error.field).toBe('period.last_days');
  });

  it('reports an error body that is not JSON as an unexpected response', async () => {
    const { api } = stubClient(() => new Response('<html>Bad gateway</html>', { status: 502 }));

    const error = await failure(api.download('GET', '/api/x', { fallbackName: 'x.csv' }));

    expect(error.status).toBe(502);
    expect(error.code).toBe(UNEXPECTED_RESPONSE);
    expect(error.message).toContain('HTTP 502');
  });

  it('maps a network failure to network_error', async () => {
    const { api } = stubClient(() => {
      throw new TypeError('Failed to fetch');
    });

    const error = await failure(api.download('POST', '/api/x', { fallbackName: 'x.csv' }));

    expect(error.status).toBe(0);
    expect(error.code).toBe(NETWORK_ERROR);
    expect(error.message).toBe('Request POST /api/x failed: Failed to fetch');
  });
});

describe('fileNameFrom', () => {
  it('reads quoted and bare names', () => {
    expect(fileNameFrom('attachment; filename="reporte-2026-11-01-2026-11-30.xlsx"', 'x')).toBe(
      'reporte-2026-11-01-2026-11-30.xlsx',
    );
    expect(fileNameFrom('attachment; filename=reporte.csv', 'x')).toBe('reporte.csv');
    expect(fileNameFrom('attachment; filename = "con espacio.csv"', 'x')).toBe('con espacio.csv');
  });

  it('prefers the UTF-8 extended name', () => {
    const header = `attachment; filename="reporte.csv"; filename*=UTF-8''reporte%20a%C3%B1o.csv`;
    expect(fileNameFrom(header, 'x')).toBe('reporte año.csv');
    // A broken percent escape falls back to the plain name.
    expect(fileNameFrom(`attachment; filename*=UTF-8''%E0%A4%A; filename="plano.csv"`, 'x')).toBe('plano.csv');
  });

  it('falls back without a usable name', () => {
    expect(fileNameFrom(null, 'reporte.csv')).toBe('reporte.csv');
    expect(fileNameFrom('attachment', 'reporte.csv')).toBe('reporte.csv');
    expect(fileNameFrom('attachment; filename="../../etc/passwd"', 'reporte.csv')).toBe('reporte.csv');
    expect(fileNameFrom(`attachment; filename*=UTF-8''..%2Fsecreto.csv`, 'reporte.csv')).toBe('reporte.csv');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, CSRF_HEADER } from './api';
import type { ImportPreview, ImportReport, Lender, Portfolio } from './types';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

interface RecordedCall {
  url: string;
  init: RequestInit;
  headers: Headers;
}

/** Returns a fetch stub that returns `responses` in order and records each call. */
function stubFetch(...responses: Array<() => Response>) {
  const calls: RecordedCall[] = [];
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {}, headers: new Headers(init?.headers) });
    const next = responses.shift();
    if (next === undefined) {
      throw new Error(`Unexpected request to ${String(input)}`);
    }
    return next();
  });
  return { fetch: fetchStub as unknown as typeof fetch, calls };
}

function signedInClient(stub: ReturnType<typeof stubFetch>): ApiClient {
  const api = new ApiClient({ fetch: stub.fetch });
  api.setCsrfToken('token-123');
  return api;
}

function csvFile(): File {
  return new File(['No. de crédito;Nombre\nA-1;Ana\n'], 'cartera.csv', { type: 'text/csv' });
}

const LENDER: Lender = {
  id: 'l1',
  name: 'Financiera del Bajío',
  redeco_registration: null,
  complaint_unit_contact: null,
  collection_phones: ['477 123 4567'],
  payment_references: [],
  created_at: '2026-11-01T10:00:00Z',
};

const PORTFOLIO: Portfolio = {
  id: 'p1',
  lender_id: 'l1',
  lender_name: LENDER.name,
  name: 'Noviembre 2026',
  account_count: 0,
  created_at: '2026-11-01T10:00:00Z',
};

const PREVIEW: ImportPreview = {
  file_name: 'cartera.csv',
  format: { kind: 'csv', encoding: 'windows-1252', delimiter: ';', sheet: null },
  sheets: [],
  headers: ['No. de crédito', 'Nombre'],
  header_row: 1,
  rows: 1,
  mapping: ['lender_account_id', 'debtor_name'],
  fields: [
    { field: 'lender_account_id', label: 'No. de crédito' },
    { field: 'debtor_name', label: 'Nombre del cliente' },
  ],
  sample: [['A-1', 'Ana']],
};

const REPORT: ImportReport = {
  dry_run: true,
  rows_read: 1,
  created: 1,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  problems: [],
  problems_truncated: false,
};

describe('ApiClient lenders and portfolios', () => {
  it('lists lenders', async () => {
    const stub = stubFetch(() => jsonResponse(200, { lenders: [LENDER] }));
    const api = signedInClient(stub);

    expect(await api.listLenders()).toEqual([LENDER]);
    expect(stub.calls[0]!.url).toBe('/api/lenders');
    expect(stub.calls[0]!.headers.has(CSRF_HEADER)).toBe(false);
  });

  it('creates lender as JSON with CSRF', async () => {
    const stub = stubFetch(() => jsonResponse(201, LENDER));
    const api = signedInClient(stub);

    await api.createLender({
      name: LENDER.name,
      redeco_registration: null,
      complaint_unit_contact: null,
      collection_phones: ['477 123 4567'],
      payment_references: [],
    });

    const call = stub.calls[0]!;
    expect(call.url).toBe('/api/lenders');
    expect(call.init.method).toBe('POST');
    expect(call.headers.get(CSRF_HEADER)).toBe('token-123');
    expect(call.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(String(call.init.body))).toEqual({
      name: 'Financiera del Bajío',
      redeco_registration: null,
      complaint_unit_contact: null,
      collection_phones: ['477 123 4567'],
      payment_references: [],
    });
  });

  it('reports lender_name_taken on name field', async () => {
    const stub = stubFetch(() =>
      jsonResponse(409, { code: 'lender_name_taken', message: 'Ya existe.', field: 'name' }),
    );
    const api = signedInClient(stub);

    const failure = await api
      .createLender({
        name: LENDER.name,
        redeco_registration: null,
        complaint_unit_contact: null,
        collection_phones: [],
        payment_references: [],
      })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('lender_name_taken');
    expect((failure as ApiError).field).toBe('name');
  });

  it('filters portfolios by lender', async () => {
    const stub = stubFetch(
      () => jsonResponse(200, { portfolios: [PORTFOLIO] }),
      () => jsonResponse(200, { portfolios: [PORTFOLIO] }),
    );
    const api = signedInClient(stub);

    await api.listPortfolios();
    await api.listPortfolios('l 1');

    expect(stub.calls[0]!.url).toBe('/api/portfolios');
    expect(stub.calls[1]!.url).toBe('/api/portfolios?lender_id=l+1');
  });

  it('creates portfolio with CSRF', async () => {
    const stub = stubFetch(() => jsonResponse(201, PORTFOLIO));
    const api = signedInClient(stub);

    const created = await api.createPortfolio({ lender_id: 'l1', name: 'Noviembre 2026' });

    expect(created).toEqual(PORTFOLIO);
    expect(stub.calls[0]!.headers.get(CSRF_HEADER)).toBe('token-123');
    expect(JSON.parse(String(stub.calls[0]!.init.body))).toEqual({ lender_id: 'l1', name: 'Noviembre 2026' });
  });
});

describe('ApiClient imports', () => {
  it('preview sends file as multipart', async () => {
    const stub = stubFetch(() => jsonResponse(200, PREVIEW));
    const api = signedInClient(stub);

    const preview = await api.previewImport({ file: csvFile(), sheet: null });

    expect(preview).toEqual(PREVIEW);
    const call = stub.calls[0]!;
    expect(call.url).toBe('/api/imports/preview');
    expect(call.init.method).toBe('POST');
    expect(call.headers.get(CSRF_HEADER)).toBe('token-123');
    // The browser must add the multipart boundary, so the client sets no Content-Type.
    expect(call.headers.has('Content-Type')).toBe(false);
    const body = call.init.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    const file = body.get('file') as File;
    expect(file.name).toBe('cartera.csv');
    expect(await file.text()).toBe('No. de crédito;Nombre\nA-1;Ana\n');
    expect(body.has('sheet')).toBe(false);
  });

  it('preview sends chosen sheet', async () => {
    const stub = stubFetch(() => jsonResponse(200, PREVIEW));
    const api = signedInClient(stub);

    await api.previewImport({ file: csvFile(), sheet: 'Cartera noviembre' });

    expect((stub.calls[0]!.init.body as FormData).get('sheet')).toBe('Cartera noviembre');
  });

  it('dry run sends every part', async () => {
    const stub = stubFetch(() => jsonResponse(200, REPORT));
    const api = signedInClient(stub);

    const report = await api.runImport({
      file: csvFile(),
      sheet: 'Hoja1',
      portfolioId: 'p1',
      mapping: ['lender_account_id', null],
      dryRun: true,
      templateName: null,
    });

    expect(report).toEqual(REPORT);
    const call = stub.calls[0]!;
    expect(call.url).toBe('/api/imports');
    expect(call.headers.get(CSRF_HEADER)).toBe('token-123');
    expect(call.headers.has('Content-Type')).toBe(false);
    const body = call.init.body as FormData;
    expect((body.get('file') as File).name).toBe('cartera.csv');
    expect(body.get('sheet')).toBe('Hoja1');
    expect(body.get('portfolio_id')).toBe('p1');
    expect(JSON.parse(String(body.get('mapping')))).toEqual(['lender_account_id', null]);
    expect(body.get('dry_run')).toBe('true');
    expect(body.has('template_name')).toBe(false);
  });

  it('real import sends dry_run false and template', async () => {
    const stub = stubFetch(() => jsonResponse(200, { ...REPORT, dry_run: false }));
    const api = signedInClient(stub);

    await api.runImport({
      file: csvFile(),
      sheet: null,
      portfolioId: 42,
      mapping: ['lender_account_id', 'debtor_name'],
      dryRun: false,
      templateName: '  Formato Bajío ',
    });

    const body = stub.calls[0]!.init.body as FormData;
    expect(body.get('dry_run')).toBe('false');
    expect(body.get('portfolio_id')).toBe('42');
    expect(body.get('template_name')).toBe('Formato Bajío');
    expect(body.has('sheet')).toBe(false);
  });

  it('omits blank template name', async () => {
    const stub = stubFetch(() => jsonResponse(200, REPORT));
    const api = signedInClient(stub);

    await api.runImport({
      file: csvFile(),
      sheet: null,
      portfolioId: 'p1',
      mapping: [null, null],
      dryRun: true,
      templateName: '   ',
    });

    expect((stub.calls[0]!.init.body as FormData).has('template_name')).toBe(false);
  });

  it('keeps field of invalid mapping error', async () => {
    const stub = stubFetch(() =>
      jsonResponse(422, { code: 'invalid_input', message: 'Falta el número de crédito.', field: 'mapping' }),
    );
    const api = signedInClient(stub);

    const failure = await api
      .runImport({ file: csvFile(), sheet: null, portfolioId: 'p1', mapping: [null, null], dryRun: true, templateName: null })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(422);
    expect((failure as ApiError).field).toBe('mapping');
  });
});

describe('ApiClient accounts', () => {
  it('sends filters and paging', async () => {
    const stub = stubFetch(() => jsonResponse(200, { accounts: [], total: 0, page: 2, per_page: 50 }));
    const api = signedInClient(stub);

    const page = await api.listAccounts({ portfolioId: 'p1', search: ' García ', page: 2, perPage: 50 });

    expect(page.total).toBe(0);
    expect(stub.calls[0]!.url).toBe('/api/accounts?portfolio_id=p1&q=Garc%C3%ADa&page=2&per_page=50');
  });

  it('leaves out empty filters', async () => {
    const stub = stubFetch(() => jsonResponse(200, { accounts: [], total: 0, page: 1, per_page: 50 }));
    const api = signedInClient(stub);

    await api.listAccounts({ portfolioId: null, search: '  ', page: 1, perPage: 50 });

    expect(stub.calls[0]!.url).toBe('/api/accounts?page=1&per_page=50');
  });
});

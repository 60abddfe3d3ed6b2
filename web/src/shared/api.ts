// HTTP client for the Ronda JSON API. The session lives in an HttpOnly cookie,
// so the client only keeps the CSRF token that login and session responses carry.

import type {
  AccountPage,
  AccountQuery,
  ApiErrorBody,
  EntityId,
  ImportPreview,
  ImportPreviewRequest,
  ImportJob,
  ImportReport,
  ImportRequest,
  Lender,
  LenderList,
  NewLender,
  NewPortfolio,
  NewUser,
  Portfolio,
  PortfolioList,
  Session,
  User,
  UserList,
} from './types';

/** Error code used when the request never reached the server (offline, DNS, refused). */
export const NETWORK_ERROR = 'network_error';
/** Error code used when an error response has no valid `{code, message, field}` body. */
export const UNEXPECTED_RESPONSE = 'unexpected_response';

export const CSRF_HEADER = 'X-CSRF-Token';

export class ApiError extends Error implements ApiErrorBody {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
  }
}

/**
 * Parses an error response body into `{code, message, field}`.
 * A body that is not JSON or lacks a string `code` and `message` yields
 * code `unexpected_response` with the HTTP status in the message.
 */
export function parseErrorBody(status: number, text: string): ApiErrorBody {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }

  if (typeof parsed === 'object' && parsed !== null) {
    const record = parsed as Record<string, unknown>;
    if (typeof record.code === 'string' && typeof record.message === 'string') {
      return {
        code: record.code,
        message: record.message,
        field: typeof record.field === 'string' ? record.field : null,
      };
    }
  }

  return {
    code: UNEXPECTED_RESPONSE,
    message: `Unexpected response from the server (HTTP ${status})`,
    field: null,
  };
}

export interface ApiClientOptions {
  /** Prefix for every request path. The default, an empty string, means same origin. */
  baseUrl?: string;
  /** Value for the `Accept-Language` header, read on every request. */
  acceptLanguage?: () => string;
  fetch?: typeof fetch;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface DownloadOptions {
  /** Request body, sent as JSON, or as multipart/form-data when it is `FormData`. */
  body?: unknown;
  /** Value of the `Accept` header. When absent, the request accepts any media type. */
  accept?: string;
  /** Name to save the file under when the response names no usable file. */
  fallbackName: string;
}

export interface DownloadedFile {
  name: string;
  blob: Blob;
}

/**
 * Returns the file name of a `Content-Disposition` header such as
 * `attachment; filename="reporte-2026-11-01-2026-11-30.csv"` or
 * `attachment; filename*=UTF-8''reporte%20ene.csv`, or `fallback` when the header is
 * missing or names no usable file. `filename*` takes precedence over `filename`.
 */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const extended = disposition?.match(/filename\*\s*=\s*UTF-8''([^;\s]+)/i)?.[1];
  let name = '';
  if (extended !== undefined) {
    try {
      name = decodeURIComponent(extended);
    } catch {
      name = '';
    }
  }
  if (name === '') {
    const plain = disposition?.match(/filename\s*=\s*(?:"([^"]+)"|([^;\s]+))/i);
    name = plain?.[1] ?? plain?.[2] ?? '';
  }
  // A name with a path separator could point outside the downloads folder.
  if (name === '' || /[/\\]/.test(name)) return fallback;
  return name;
}

export class ApiClient {
  private csrfToken: string | null = null;
  private readonly baseUrl: string;
  private readonly acceptLanguage: () => string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.acceptLanguage = options.acceptLanguage ?? (() => 'es-MX');
    // Calling the global fetch unbound throws "Illegal invocation" in browsers.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get hasCsrfToken(): boolean {
    return this.csrfToken !== null;
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  /**
   * Sends one request and returns the parsed JSON body, or `undefined` for 204.
   * A `FormData` body goes as multipart/form-data, and any other body as JSON.
   * Throws `ApiError` for network failures and for every non-2xx status.
   */
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, 'application/json', body);
    const text = await response.text();
    if (response.status === 204 || text === '') {
      return undefined as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, {
        code: UNEXPECTED_RESPONSE,
        message: `Response to ${method} ${path} is not valid JSON`,
        field: null,
      });
    }
  }

  /**
   * Sends one request whose successful response is a file, such as a CSV or XLSX export,
   * and returns its bytes untouched with the name from `Content-Disposition`. Errors are
   * handled as in `request`: a non-2xx status throws `ApiError` with the server's
   * `{code, message, field}`, and a network failure throws code `network_error`.
   */
  async download(method: Method, path: string, options: DownloadOptions): Promise<DownloadedFile> {
    const response = await this.send(method, path, options.accept ?? '*/*', options.body);
    const name = fileNameFrom(response.headers.get('Content-Disposition'), options.fallbackName);
    return { name, blob: await response.blob() };
  }

  /** Sends one request and returns the response when its status is 2xx. */
  private async send(method: Method, path: string, accept: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: accept,
      'Accept-Language': this.acceptLanguage(),
    };
    const multipart = body instanceof FormData;
    // For FormData the browser writes Content-Type itself, because the header
    // must carry the multipart boundary that it generates.
    if (body !== undefined && !multipart) {
      headers['Content-Type'] = 'application/json';
    }
    if (method !== 'GET' && this.csrfToken !== null) {
      headers[CSRF_HEADER] = this.csrfToken;
    }

    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (multipart) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
    }

    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, init);
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, {
        code: NETWORK_ERROR,
        message: `Request ${method} ${path} failed: ${detail}`,
        field: null,
      });
    }
    if (!response.ok) {
      throw new ApiError(response.status, parseErrorBody(response.status, await response.text()));
    }
    return response;
  }

  async login(email: string, password: string): Promise<Session> {
    const session = await this.request<Session>('POST', '/api/auth/login', { email, password });
    this.csrfToken = session.csrf_token;
    return session;
  }

  /** Fetches the current session. Throws `ApiError` with status 401 when there is none. */
  async session(): Promise<Session> {
    const session = await this.request<Session>('GET', '/api/session');
    this.csrfToken = session.csrf_token;
    return session;
  }

  /** Ends the server session. The token is kept on failure so that a retry can still pass the CSRF check. */
  async logout(): Promise<void> {
    await this.request<void>('POST', '/api/auth/logout');
    this.csrfToken = null;
  }

  async listUsers(): Promise<User[]> {
    const list = await this.request<UserList>('GET', '/api/users');
    return list.users;
  }

  createUser(user: NewUser): Promise<User> {
    return this.request<User>('POST', '/api/users', user);
  }

  deactivateUser(id: EntityId): Promise<User> {
    return this.request<User>('POST', `/api/users/${encodeURIComponent(String(id))}/deactivate`);
  }

  reactivateUser(id: EntityId): Promise<User> {
    return this.request<User>('POST', `/api/users/${encodeURIComponent(String(id))}/reactivate`);
  }

  async listLenders(): Promise<Lender[]> {
    const list = await this.request<LenderList>('GET', '/api/lenders');
    return list.lenders;
  }

  createLender(lender: NewLender): Promise<Lender> {
    return this.request<Lender>('POST', '/api/lenders', lender);
  }

  /** Lists the organization's portfolios, or only one lender's when `lenderId` is given. */
  async listPortfolios(lenderId: EntityId | null = null): Promise<Portfolio[]> {
    const query = lenderId === null ? '' : `?${new URLSearchParams({ lender_id: String(lenderId) })}`;
    const list = await this.request<PortfolioList>('GET', `/api/portfolios${query}`);
    return list.portfolios;
  }

  createPortfolio(portfolio: NewPortfolio): Promise<Portfolio> {
    return this.request<Portfolio>('POST', '/api/portfolios', portfolio);
  }

  /** Uploads a CSV or XLSX file and returns how the server read it, with a suggested column mapping. */
  previewImport(request: ImportPreviewRequest): Promise<ImportPreview> {
    return this.request<ImportPreview>('POST', '/api/imports/preview', fileForm(request));
  }

  /**
   * Uploads the file again with the chosen mapping. With `dryRun` the server
   * writes nothing and reports what the import would do.
   */
  runImport(request: ImportRequest): Promise<ImportReport> {
    return this.request<ImportReport>('POST', '/api/imports', importForm(request));
  }

  /** Starts the same import in the background; poll it with `importJob`. */
  startImportJob(request: ImportRequest): Promise<ImportJob> {
    return this.request<ImportJob>('POST', '/api/imports/jobs', importForm(request));
  }

  importJob(id: string): Promise<ImportJob> {
    return this.request<ImportJob>('GET', `/api/imports/jobs/${encodeURIComponent(id)}`);
  }

  listAccounts(query: AccountQuery): Promise<AccountPage> {
    const params = new URLSearchParams();
    if (query.portfolioId !== null) {
      params.set('portfolio_id', String(query.portfolioId));
    }
    if (query.search.trim() !== '') {
      params.set('q', query.search.trim());
    }
    params.set('page', String(query.page));
    params.set('per_page', String(query.perPage));
    return this.request<AccountPage>('GET', `/api/accounts?${params}`);
  }
}

/** Builds the multipart parts shared by the preview and the import: `file` and, for XLSX, `sheet`. */
function fileForm(request: ImportPreviewRequest): FormData {
  const form = new FormData();
  form.append('file', request.file, request.file.name);
  if (request.sheet !== null) {
    form.append('sheet', request.sheet);
  }
  return form;
}

function importForm(request: ImportRequest): FormData {
  const form = fileForm(request);
  form.append('portfolio_id', String(request.portfolioId));
  form.append('mapping', JSON.stringify(request.mapping));
  form.append('dry_run', request.dryRun ? 'true' : 'false');
  if (request.templateName !== null && request.templateName.trim() !== '') {
    form.append('template_name', request.templateName.trim());
  }
  return form;
}

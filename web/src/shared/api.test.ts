import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, CSRF_HEADER, NETWORK_ERROR, UNEXPECTED_RESPONSE, parseErrorBody } from './api';
import type { Session } from './types';

const SESSION: Session = {
  user: { id: 1, email: 'ana@example.mx', name: 'Ana', role: 'admin', active: true },
  organization: { id: 7, name: 'Despacho Norte' },
  csrf_token: 'token-123',
};

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

async function catchApiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('Expected the request to fail');
}

describe('ApiClient', () => {
  it('sends CSRF token on POST after login', async () => {
    const stub = stubFetch(
      () => jsonResponse(200, SESSION),
      () => jsonResponse(201, { id: 2, email: 'beto@example.mx', name: 'Beto', role: 'agent', active: true }),
    );
    const api = new ApiClient({ fetch: stub.fetch });

    await api.login('ana@example.mx', 'secreto');
    await api.createUser({ email: 'beto@example.mx', name: 'Beto', role: 'agent', password: 'x' });

    const create = stub.calls[1]!;
    expect(create.url).toBe('/api/users');
    expect(create.init.method).toBe('POST');
    expect(create.headers.get(CSRF_HEADER)).toBe('token-123');
    expect(create.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(String(create.init.body))).toEqual({
      email: 'beto@example.mx',
      name: 'Beto',
      role: 'agent',
      password: 'x',
    });
  });

  it('omits CSRF token on GET', async () => {
    const stub = stubFetch(
      () => jsonResponse(200, SESSION),
      () => jsonResponse(200, { users: [SESSION.user] }),
    );
    const api = new ApiClient({ fetch: stub.fetch });

    await api.session();
    const users = await api.listUsers();

    expect(users).toEqual([SESSION.user]);
    for (const call of stub.calls) {
      expect(call.init.method).toBe('GET');
      expect(call.headers.has(CSRF_HEADER)).toBe(false);
    }
  });

  it('omits CSRF token on POST before login', async () => {
    const stub = stubFetch(() => jsonResponse(200, SESSION));
    const api = new ApiClient({ fetch: stub.fetch });

    await api.login('ana@example.mx', 'secreto');

    expect(stub.calls[0]!.headers.has(CSRF_HEADER)).toBe(false);
  });

  it('sends cookies and Accept-Language', async () => {
    let language = 'es-MX';
    const stub = stubFetch(
      () => jsonResponse(200, SESSION),
      () => jsonResponse(200, SESSION),
    );
    const api = new ApiClient({ fetch: stub.fetch, acceptLanguage: () => language });

    await api.session();
    language = 'en';
    await api.session();

    expect(stub.calls[0]!.init.credentials).toBe('same-origin');
    expect(stub.calls[0]!.headers.get('Accept-Language')).toBe('es-MX');
    expect(stub.calls[1]!.headers.get('Accept-Language')).toBe('en');
  });

  it('logout sends token then forgets it', async () => {
    const stub = stubFetch(
      () => jsonResponse(200, SESSION),
      () => new Response(null, { status: 204 }),
      () => jsonResponse(200, SESSION),
    );
    const api = new ApiClient({ fetch: stub.fetch });

    await api.login('ana@example.mx', 'secreto');
    await expect(api.logout()).resolves.toBeUndefined();
    await api.login('ana@example.mx', 'secreto');

    expect(stub.calls[1]!.url).toBe('/api/auth/logout');
    expect(stub.calls[1]!.headers.get(CSRF_HEADER)).toBe('token-123');
    expect(stub.calls[2]!.headers.has(CSRF_HEADER)).toBe(false);
  });

  it('keeps token when logout fails', async () => {
    const stub = stubFetch(
      () => jsonResponse(200, SESSION),
      () => {
        throw new TypeError('Failed to fetch');
      },
    );
    const api = new ApiClient({ fetch: stub.fetch });

    await api.login('ana@example.mx', 'secreto');
    await catchApiError(api.logout());

    expect(api.hasCsrfToken).toBe(true);
  });

  it('encodes user id in deactivate URL', async () => {
    const stub = stubFetch(() => jsonResponse(200, { ...SESSION.user, active: false }));
    const api = new ApiClient({ fetch: stub.fetch });
    api.setCsrfToken('t');

    const user = await api.deactivateUser('a/b c');

    expect(stub.calls[0]!.url).toBe('/api/users/a%2Fb%20c/deactivate');
    expect(stub.calls[0]!.headers.get(CSRF_HEADER)).toBe('t');
    expect(user.active).toBe(false);
  });

  it('posts reactivate with CSRF header', async () => {
    const stub = stubFetch(() => jsonResponse(200, { ...SESSION.user, active: true }));
    const api = new ApiClient({ fetch: stub.fetch });
    api.setCsrfToken('t');

    const user = await api.reactivateUser('u1');

    expect(stub.calls[0]!.url).toBe('/api/users/u1/reactivate');
    expect(stub.calls[0]!.init.method).toBe('POST');
    expect(stub.calls[0]!.headers.get(CSRF_HEADER)).toBe('t');
    expect(user.active).toBe(true);
  });

  it('parses error body into ApiError', async () => {
    const stub = stubFetch(() =>
      jsonResponse(409, { code: 'email_taken', message: 'Ese correo ya está registrado.', field: 'email' }),
    );
    const api = new ApiClient({ fetch: stub.fetch });

    const error = await catchApiError(
      api.createUser({ email: 'ana@example.mx', name: 'Ana', role: 'admin', password: 'x' }),
    );

    expect(error.status).toBe(409);
    expect(error.code).toBe('email_taken');
    expect(error.message).toBe('Ese correo ya está registrado.');
    expect(error.field).toBe('email');
  });

  it('reports 401 invalid_credentials with null field', async () => {
    const stub = stubFetch(() =>
      jsonResponse(401, { code: 'invalid_credentials', message: 'Credenciales inválidas', field: null }),
    );
    const api = new ApiClient({ fetch: stub.fetch });

    const error = await catchApiError(api.login('ana@example.mx', 'mala'));

    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_credentials');
    expect(error.field).toBeNull();
    expect(api.hasCsrfToken).toBe(false);
  });

  it('maps network failure to network_error', async () => {
    const stub = stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const api = new ApiClient({ fetch: stub.fetch });

    const error = await catchApiError(api.session());

    expect(error.status).toBe(0);
    expect(error.code).toBe(NETWORK_ERROR);
    expect(error.message).toContain('Failed to fetch');
  });

  it('rejects invalid JSON in a 200 response', async () => {
    const stub = stubFetch(() => new Response('<html>', { status: 200 }));
    const api = new ApiClient({ fetch: stub.fetch });

    const error = await catchApiError(api.session());

    expect(error.code).toBe(UNEXPECTED_RESPONSE);
  });
});

describe('parseErrorBody', () => {
  it('keeps code, message and field', () => {
    expect(parseErrorBody(422, '{"code":"invalid_input","message":"Correo inválido","field":"email"}')).toEqual({
      code: 'invalid_input',
      message: 'Correo inválido',
      field: 'email',
    });
  });

  it('turns missing or non-string field into null', () => {
    expect(parseErrorBody(403, '{"code":"csrf_failed","message":"x"}').field).toBeNull();
    expect(parseErrorBody(403, '{"code":"csrf_failed","message":"x","field":3}').field).toBeNull();
  });

  it.each([
    ['HTML page', '<h1>Bad gateway</h1>'],
    ['empty body', ''],
    ['JSON without code', '{"error":"boom"}'],
    ['JSON array', '[1,2]'],
    ['JSON null', 'null'],
  ])('falls back for %s', (_label, text) => {
    const body = parseErrorBody(502, text);
    expect(body.code).toBe(UNEXPECTED_RESPONSE);
    expect(body.message).toContain('502');
    expect(body.field).toBeNull();
  });
});

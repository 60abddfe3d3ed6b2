import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { ApiTokensPanel } from './ApiTokensPanel';

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

const TOKEN = {
  id: '0190a1b2-0000-7000-8000-0000000000aa',
  name: 'ERP del otorgante',
  role: 'viewer',
  created_by: null,
  created_at: '2026-12-01T10:00:00Z',
  revoked_at: null,
};

describe('ApiTokensPanel', () => {
  it('shows the empty state', async () => {
    const { api } = stubApi({ 'GET /api/tokens': () => jsonResponse(200, { tokens: [] }) });
    const page = mount(<ApiTokensPanel api={api} />);
    await settle();
    expect(page.textContent).toContain('Todavía no hay tokens.');
  });

  it('creates a token and shows its secret once with a copy button', async () => {
    let tokens: unknown[] = [];
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { api, requests } = stubApi({
      'GET /api/tokens': () => jsonResponse(200, { tokens }),
      'POST /api/tokens': () => {
        tokens = [TOKEN];
        return jsonResponse(201, { token: TOKEN, secret: 'ronda_secreto_123' });
      },
    });
    const page = mount(<ApiTokensPanel api={api} />);
    await settle();
    const name = page.querySelector<HTMLInputElement>('form input');
    await act(() => {
      if (name === null) return;
      name.value = 'ERP del otorgante';
      name.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(buttonByText(page, 'Crear token'));
    await settle();

    const created = requests.find((request) => request.method === 'POST');
    expect(JSON.parse(String(created?.body))).toEqual({ name: 'ERP del otorgante', role: 'viewer' });
    const secret = page.querySelector<HTMLInputElement>('.tokens-secret input');
    expect(secret?.value).toBe('ronda_secreto_123');
    expect(page.querySelector('.tokens-secret')?.textContent).toContain('no se volverá a mostrar');
    await click(buttonByText(page, 'Copiar'));
    await settle();
    expect(writeText).toHaveBeenCalledWith('ronda_secreto_123');
    expect(buttonByText(page, 'Copiado')).not.toBeNull();

    await click(buttonByText(page, 'Ya lo guardé'));
    expect(page.querySelector('.tokens-secret')).toBeNull();
    expect(page.querySelector('tbody')?.textContent).toContain('ERP del otorgante');
  });

  it('revokes only after confirmation', async () => {
    let tokens: unknown[] = [TOKEN];
    const { api, requests } = stubApi({
      'GET /api/tokens': () => jsonResponse(200, { tokens }),
      [`DELETE /api/tokens/${TOKEN.id}`]: () => {
        tokens = [{ ...TOKEN, revoked_at: '2026-12-02T10:00:00Z' }];
        return jsonResponse(200, tokens[0]);
      },
    });
    const page = mount(<ApiTokensPanel api={api} />);
    await settle();
    await click(buttonByText(page, 'Revocar'));
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    await click(buttonByText(page, 'Cancelar'));
    expect(buttonByText(page, 'Sí, revocar')).toBeNull();

    await click(buttonByText(page, 'Revocar'));
    await click(buttonByText(page, 'Sí, revocar'));
    await settle();
    expect(requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
    expect(page.querySelector('[role=status]')?.textContent).toBe('Se revocó el token «ERP del otorgante».');
    expect(page.querySelector('tbody')?.textContent).toContain('Revocado el');
    expect(buttonByText(page, 'Revocar')).toBeNull();
  });

  it('shows the server error for a bad name', async () => {
    const { api } = stubApi({
      'GET /api/tokens': () => jsonResponse(200, { tokens: [] }),
      'POST /api/tokens': () => jsonResponse(422, { code: 'invalid_input', field: 'name', message: 'Escribe un nombre.' }),
    });
    const page = mount(<ApiTokensPanel api={api} />);
    await settle();
    await click(buttonByText(page, 'Crear token'));
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('Escribe un nombre.');
    expect(page.querySelector('.tokens-secret')).toBeNull();
  });
});

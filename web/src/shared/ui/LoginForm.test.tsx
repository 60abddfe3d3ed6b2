import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api';
import { LanguageStore } from '../i18n';
import type { Session } from '../types';
import { I18nProvider } from './i18n-context';
import { LoginForm } from './LoginForm';

const SESSION: Session = {
  user: { id: 1, email: 'ana@example.mx', name: 'Ana', role: 'admin', active: true },
  organization: { id: 7, name: 'Despacho Norte' },
  csrf_token: 'token-123',
};

function mount(fetchStub: typeof fetch, onLoggedIn = vi.fn()) {
  const container = document.createElement('div');
  document.body.append(container);
  const api = new ApiClient({ fetch: fetchStub });
  render(
    <I18nProvider store={new LanguageStore('es')}>
      <LoginForm api={api} onLoggedIn={onLoggedIn} />
    </I18nProvider>,
    container,
  );
  return { container, onLoggedIn };
}

function typeInto(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

async function submit(container: HTMLElement, email: string, password: string) {
  await act(async () => {
    typeInto(container.querySelector<HTMLInputElement>('#login-email')!, email);
    typeInto(container.querySelector<HTMLInputElement>('#login-password')!, password);
  });
  await act(async () => {
    container.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  // Let the rejected or resolved fetch promise settle and re-render.
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

describe('LoginForm', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('shows generic Spanish error on bad credentials', async () => {
    const fetchStub = vi.fn(
      async () =>
        new Response(JSON.stringify({ code: 'invalid_credentials', message: 'server text', field: null }), {
          status: 401,
        }),
    ) as unknown as typeof fetch;
    const { container, onLoggedIn } = mount(fetchStub);

    await submit(container, 'ana@example.mx', 'incorrecta');

    expect(container.querySelector('[role="alert"]')!.textContent).toBe(
      'El correo o la contraseña no son correctos.',
    );
    expect(container.querySelector<HTMLInputElement>('#login-password')!.value).toBe('');
    expect(document.activeElement?.id).toBe('login-password');
    expect(onLoggedIn).not.toHaveBeenCalled();
  });

  it('marks the field named by invalid_input', async () => {
    const fetchStub = vi.fn(
      async () =>
        new Response(JSON.stringify({ code: 'invalid_input', message: 'El correo no es válido.', field: 'email' }), {
          status: 422,
        }),
    ) as unknown as typeof fetch;
    const { container } = mount(fetchStub);

    await submit(container, 'no-es-correo', 'x');

    expect(container.querySelector('[role="alert"]')!.textContent).toBe('El correo no es válido.');
    expect(container.querySelector('#login-email')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('requires both fields before sending', async () => {
    const fetchStub = vi.fn() as unknown as typeof fetch;
    const { container } = mount(fetchStub);

    await submit(container, 'ana@example.mx', '');

    expect(fetchStub).not.toHaveBeenCalled();
    expect(container.querySelector('[role="alert"]')!.textContent).toBe('Escribe tu correo y tu contraseña.');
  });

  it('passes the session on success', async () => {
    const fetchStub = vi.fn(async () => new Response(JSON.stringify(SESSION), { status: 200 })) as unknown as typeof fetch;
    const { container, onLoggedIn } = mount(fetchStub);

    await submit(container, '  ana@example.mx ', 'secreto');

    expect(onLoggedIn).toHaveBeenCalledWith(SESSION);
    const body = JSON.parse(String((fetchStub as unknown as ReturnType<typeof vi.fn>).mock.calls[0]![1].body));
    expect(body).toEqual({ email: 'ana@example.mx', password: 'secreto' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { InvitationsPanel } from './InvitationsPanel';

afterEach(() => {
  document.body.innerHTML = '';
});

async function type(input: HTMLInputElement | null, value: string) {
  expect(input).not.toBeNull();
  await act(() => {
    if (input === null) return;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('InvitationsPanel', () => {
  it('creates an invitation and shows its link', async () => {
    const { api, requests } = stubApi({
      'POST /api/invitations': () =>
        jsonResponse(201, {
          user: { id: 'u1', name: 'Carla Ortiz', email: 'carla@norte.mx' },
          invitation_path: '/invitation/abc123',
          expires_at: Date.UTC(2026, 11, 8),
          email: 'sent',
        }),
    });
    const page = mount(<InvitationsPanel api={api} />);
    const inputs = page.querySelectorAll<HTMLInputElement>('form input');
    await type(inputs[0] ?? null, 'carla@norte.mx');
    await type(inputs[1] ?? null, 'Carla Ortiz');
    await click(buttonByText(page, 'Crear invitación'));
    await settle();
    expect(JSON.parse(String(requests[0]?.body))).toEqual({ email: 'carla@norte.mx', name: 'Carla Ortiz', role: 'agent' });
    const link = page.querySelector<HTMLInputElement>('.tokens-secret input');
    expect(link?.value).toBe(`${window.location.origin}/invitation/abc123`);
    expect(page.textContent).toContain('Carla Ortiz');
    expect(page.textContent).toContain('También se envió por correo.');
  });

  it('shows the server error for a taken email', async () => {
    const { api } = stubApi({
      'POST /api/invitations': () => jsonResponse(409, { code: 'email_taken', field: 'email', message: 'Ese correo ya tiene cuenta.' }),
    });
    const page = mount(<InvitationsPanel api={api} />);
    await click(buttonByText(page, 'Crear invitación'));
    await settle();
    expect(page.querySelector('[role=alert]')).not.toBeNull();
    expect(page.querySelector('.tokens-secret')).toBeNull();
  });
});

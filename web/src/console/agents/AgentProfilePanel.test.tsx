import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { AgentProfilePanel } from './AgentProfilePanel';

afterEach(() => {
  document.body.innerHTML = '';
});

const AGENT = '0190a1b2-0000-7000-8000-0000000000b1';
const PATH = `/api/agents/${AGENT}/profile`;
const PROFILE = {
  agent_id: AGENT,
  working_hours: [{ day: 'monday', start: '09:00', end: '18:00' }],
  start_location: { latitude: 19.4326, longitude: -99.1332, label: 'Sucursal Centro' },
  zones: [{ name: 'Roma Norte', vertices: [[19.42, -99.17], [19.42, -99.15], [19.41, -99.15]] }],
  updated_at: 1,
};

async function type(input: HTMLInputElement | HTMLTextAreaElement | null, value: string) {
  expect(input).not.toBeNull();
  await act(() => {
    if (input === null) return;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('AgentProfilePanel', () => {
  it('lets a supervisor change hours and zones', async () => {
    const { api, requests } = stubApi({
      [`GET ${PATH}`]: () => jsonResponse(200, PROFILE),
      [`PUT ${PATH}`]: (request) => jsonResponse(200, { ...PROFILE, ...JSON.parse(String(request.body)) }),
    });
    const page = mount(<AgentProfilePanel api={api} agentId={AGENT} canEdit={true} />);
    await settle();
    const saturday = page.querySelectorAll<HTMLInputElement>('.profile-hours input[type=checkbox]')[5] ?? null;
    await click(saturday);
    await type(page.querySelector('input[aria-label="Salida del Sábado"]'), '14:00');
    await type(page.querySelector('textarea'), '19.42, -99.17\n19.42, -99.15\n19.41, -99.15\n19.41, -99.17');
    await click(buttonByText(page, 'Guardar perfil'));
    await settle();

    const body = JSON.parse(String(requests.find((request) => request.method === 'PUT')?.body));
    expect(body.working_hours).toEqual([
      { day: 'monday', start: '09:00', end: '18:00' },
      { day: 'saturday', start: '09:00', end: '14:00' },
    ]);
    expect(body.start_location).toEqual({ latitude: 19.4326, longitude: -99.1332, label: 'Sucursal Centro' });
    expect(body.zones[0].vertices).toHaveLength(4);
    expect(page.querySelector('[role=status]')?.textContent).toBe('Se guardó el perfil.');
  });

  it('catches malformed vertices before sending', async () => {
    const { api, requests } = stubApi({ [`GET ${PATH}`]: () => jsonResponse(200, PROFILE) });
    const page = mount(<AgentProfilePanel api={api} agentId={AGENT} canEdit={true} />);
    await settle();
    await type(page.querySelector('textarea'), '19.42 -99.17');
    await click(buttonByText(page, 'Guardar perfil'));
    await settle();
    expect(requests.some((request) => request.method === 'PUT')).toBe(false);
    expect(page.querySelector('[role=alert]')?.textContent).toContain('Roma Norte');
  });

  it('shows the server error for a bad field', async () => {
    const { api } = stubApi({
      [`GET ${PATH}`]: () => jsonResponse(200, PROFILE),
      [`PUT ${PATH}`]: () =>
        jsonResponse(422, { code: 'invalid_input', field: 'start_location', message: 'La ubicación de inicio necesita latitud entre -90 y 90.' }),
    });
    const page = mount(<AgentProfilePanel api={api} agentId={AGENT} canEdit={true} />);
    await settle();
    await click(buttonByText(page, 'Guardar perfil'));
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('latitud entre -90 y 90');
  });

  it('is read-only for viewers and shows an empty profile', async () => {
    const empty = { agent_id: AGENT, working_hours: [], start_location: null, zones: [], updated_at: null };
    const { api } = stubApi({ [`GET ${PATH}`]: () => jsonResponse(200, empty) });
    const page = mount(<AgentProfilePanel api={api} agentId={AGENT} canEdit={false} />);
    await settle();
    expect(page.querySelector('fieldset')?.disabled).toBe(true);
    expect(buttonByText(page, 'Guardar perfil')).toBeNull();
    expect(page.textContent).toContain('Sin zonas asignadas.');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import type { User } from '../../shared/types';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import type { CreatedDevice, Device } from './api';
import { AgentsPage } from './AgentsPage';
import { isoDate } from './dayFormat';
import { RegisterDeviceDialog } from './RegisterDeviceDialog';

const AGENT: User = { id: 'u-beto', email: 'beto@example.mx', name: 'Beto Ramírez', role: 'agent', active: true };
const ADMIN: User = { id: 'u-ana', email: 'ana@example.mx', name: 'Ana Salinas', role: 'admin', active: true };

const DEVICE: Device = {
  id: 'd-1',
  agent_id: 'u-beto',
  name: 'Teléfono de Beto Ramírez',
  kind: 'osmand',
  device_identifier: '4827193056',
  created_at: '2026-12-04T18:00:00Z',
  revoked_at: null,
};

const CREATED: CreatedDevice = {
  device: DEVICE,
  secret: 's3cr3t-Zk3n9qLkR2xY',
  traccar_client: {
    server_url: 'http://127.0.0.1:8080/tracking/osmand/s3cr3t-Zk3n9qLkR2xY',
    device_identifier: '4827193056',
  },
  owntracks: null,
};

const EMPTY_DAY = {
  agent_id: 'u-beto',
  day: '2026-12-04',
  time_zone: 'America/Mexico_City',
  distance_m: 0,
  stops: [],
  accepted_count: 0,
  flagged_count: 0,
  track: [],
  unlocated: [],
  from_summary: false,
  visits: [],
};

/** Replaces `window.confirm`, which happy-dom does not provide, for one test. */
function stubConfirm(answer: boolean) {
  const confirm = vi.fn(() => answer);
  vi.stubGlobal('confirm', confirm);
  return confirm;
}

async function type(input: Element | null, value: string) {
  if (input === null) throw new Error('Input not found');
  await act(async () => {
    (input as HTMLInputElement).value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(form: Element | null) {
  if (form === null) throw new Error('Form not found');
  await act(async () => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await settle();
}

describe('RegisterDeviceDialog', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    vi.restoreAllMocks();
  });

  it('registers device and shows settings once', async () => {
    const { api, requests } = stubApi({ 'POST /api/devices': () => jsonResponse(201, CREATED) });
    const onRegistered = vi.fn();
    const container = mount(
      <RegisterDeviceDialog api={api} agent={AGENT} onRegistered={onRegistered} onClose={() => undefined} />,
    );

    expect((container.querySelector('#device-name') as HTMLInputElement).value).toBe('Teléfono de Beto Ramírez');
    await type(container.querySelector('#device-identifier'), ' 4827193056 ');
    await submit(container.querySelector('form'));

    expect(requests).toHaveLength(1);
    expect(JSON.parse(String(requests[0]!.body))).toEqual({
      agent_id: 'u-beto',
      name: 'Teléfono de Beto Ramírez',
      kind: 'osmand',
      device_identifier: '4827193056',
    });
    expect(onRegistered).toHaveBeenCalledWith(CREATED);
    expect((container.querySelector('#traccar-url') as HTMLInputElement).value).toBe(CREATED.traccar_client!.server_url);
    expect((container.querySelector('#traccar-identifier') as HTMLInputElement).value).toBe('4827193056');
    expect(container.textContent).toContain('no se volverá a mostrar');
    const qr = container.querySelector('svg.qr-code');
    expect(qr?.getAttribute('aria-label')).toBe('Código QR con la URL del servidor para Traccar Client');
    expect(qr?.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
  });

  it('shows OwnTracks settings without identifier', async () => {
    const owntracks: CreatedDevice = {
      device: { ...DEVICE, kind: 'owntracks', device_identifier: '5550001111/phone' },
      secret: 'pw-123',
      traccar_client: null,
      owntracks: { url: 'http://127.0.0.1:8080/tracking/owntracks', user: '5550001111', device_id: 'phone', password: 'pw-123' },
    };
    const { api, requests } = stubApi({ 'POST /api/devices': () => jsonResponse(201, owntracks) });
    const container = mount(
      <RegisterDeviceDialog api={api} agent={AGENT} onRegistered={() => undefined} onClose={() => undefined} />,
    );

    await click(container.querySelectorAll('input[type="radio"]')[1] ?? null);
    await submit(container.querySelector('form'));

    const body = JSON.parse(String(requests[0]!.body));
    expect(body.kind).toBe('owntracks');
    expect(body.device_identifier).toBeUndefined();
    expect((container.querySelector('#owntracks-password') as HTMLInputElement).value).toBe('pw-123');
    expect((container.querySelector('#owntracks-user') as HTMLInputElement).value).toBe('5550001111');
    expect(container.querySelector('svg.qr-code')).toBeNull();
  });

  it('shows server error and keeps form', async () => {
    const { api } = stubApi({
      'POST /api/devices': () =>
        jsonResponse(409, { code: 'device_identifier_taken', message: 'Ese identificador ya está en uso.', field: 'device_identifier' }),
    });
    const container = mount(
      <RegisterDeviceDialog api={api} agent={AGENT} onRegistered={() => undefined} onClose={() => undefined} />,
    );

    await submit(container.querySelector('form'));

    expect(container.querySelector('[role="alert"]')?.textContent).toBe('Ese identificador ya está en uso.');
    expect(container.querySelector('#device-name')).not.toBeNull();
    expect(buttonByText(container, 'Registrar')?.disabled).toBe(false);
  });

  it('asks for a name before sending', async () => {
    const { api, requests } = stubApi({});
    const container = mount(
      <RegisterDeviceDialog api={api} agent={AGENT} onRegistered={() => undefined} onClose={() => undefined} />,
    );

    await type(container.querySelector('#device-name'), '   ');
    await submit(container.querySelector('form'));

    expect(requests).toHaveLength(0);
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('Escribe un nombre');
  });
});

describe('AgentsPage devices', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  function routes() {
    return {
      'GET /api/users': () => jsonResponse(200, { users: [ADMIN, AGENT] }),
      'GET /api/devices': () => jsonResponse(200, { devices: [DEVICE] }),
      // The day panel opens on today's date.
      [`GET /api/tracking/agents/u-beto/days/${isoDate(new Date())}`]: () => jsonResponse(200, EMPTY_DAY),
    };
  }

  it('lists agents and revokes after confirmation', async () => {
    const { api, requests } = stubApi({
      ...routes(),
      'DELETE /api/devices/d-1': () => jsonResponse(200, { ...DEVICE, revoked_at: '2026-12-04T19:00:00Z' }),
    });
    const confirm = stubConfirm(true);
    const container = mount(<AgentsPage api={api} role="supervisor" />);
    await settle();

    expect(container.textContent).toContain('Beto Ramírez');
    expect(container.textContent).not.toContain('Ana Salinas');
    expect(container.textContent).toContain('4827193056');
    expect(buttonByText(container, 'Registrar dispositivo')).not.toBeNull();
    expect(container.textContent).toContain('Sin ubicaciones en esta fecha');

    await click(container.querySelector('button[aria-label="Revocar Teléfono de Beto Ramírez"]'));

    expect(confirm).toHaveBeenCalledTimes(1);
    expect(requests.some((request) => request.method === 'DELETE' && request.url.endsWith('/api/devices/d-1'))).toBe(true);
    expect(container.textContent).toContain('Se revocó Teléfono de Beto Ramírez.');
  });

  it('keeps device when confirmation is declined', async () => {
    const { api, requests } = stubApi(routes());
    stubConfirm(false);
    const container = mount(<AgentsPage api={api} role="admin" />);
    await settle();

    await click(container.querySelector('button[aria-label="Revocar Teléfono de Beto Ramírez"]'));

    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    expect(container.textContent).not.toContain('Se revocó');
  });

  it('shows viewers no device controls', async () => {
    const { api, requests } = stubApi(routes());
    const container = mount(<AgentsPage api={api} role="viewer" />);
    await settle();

    expect(container.textContent).toContain('Beto Ramírez');
    expect(buttonByText(container, 'Registrar dispositivo')).toBeNull();
    expect(container.querySelector('button[aria-label^="Revocar"]')).toBeNull();
    expect(container.textContent).toContain('solo los ven administradores y supervisores');
    expect(requests.some((request) => request.url.endsWith('/api/devices'))).toBe(false);
  });
});

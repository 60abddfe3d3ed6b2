import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import type { LiveAgent } from './liveState';
import { TodayPage } from './TodayPage';

/** Stands in for the browser's EventSource so that a test can send events. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  readonly listeners = new Map<string, ((event: Event) => void)[]>();
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }

  addEventListener(name: string, listener: (event: Event) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }

  emit(name: string, data?: unknown) {
    const event = data === undefined ? new Event(name) : new MessageEvent(name, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(name) ?? []) listener(event);
  }

  close() {
    this.closed = true;
  }
}

const NOW = Date.now();

const TODAY = {
  day: '2026-12-04',
  since: 0,
  summary: { planned: 40, done: 12, verified: 9, doubtful: 2, rejected: 1, promises: 5, promised_cents: 1_250_050 },
  visits: [],
  visits_truncated: false,
};

function agent(id: string, name: string, minutesAgo: number, battery: number | null): LiveAgent {
  return {
    agent_id: id,
    agent_name: name,
    state: 'active',
    fix_time: NOW - minutesAgo * 60_000,
    received_at: NOW - minutesAgo * 60_000,
    latitude: 19.43,
    longitude: -99.13,
    accuracy_m: 8,
    speed_mps: 5,
    battery_pct: battery,
    charging: false,
  };
}

describe('TodayPage', () => {
  beforeEach(() => {
    vi.stubGlobal('EventSource', FakeEventSource);
    localStorage.setItem('ronda.map.tiles', 'off');
  });

  afterEach(() => {
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('lists agents with state, battery and age', async () => {
    const { api } = stubApi({
      'GET /api/tracking/live': () =>
        jsonResponse(200, {
          server_time: NOW,
          agents: [agent('a2', 'Zoe Campos', 40, 90), agent('a1', 'Beto Ramírez', 2, 12)],
        }),
    });
    const container = mount(<TodayPage api={api} />);
    await settle();

    const items = [...container.querySelectorAll('.live-list__item')].map((item) => item.textContent ?? '');
    expect(items).toHaveLength(2);
    expect(items[0]).toContain('Beto Ramírez');
    expect(items[0]).toContain('Batería baja');
    expect(items[0]).toContain('visto hace 2 min');
    expect(items[0]).toContain('12 %');
    expect(items[0]).toContain('18 km/h');
    expect(items[1]).toContain('Desconectado');
    expect(container.querySelector('.live-legend')?.textContent).toContain('Batería baja: 1');
    expect(container.textContent).toContain('Sin mapa de fondo');
  });

  it('moves agent on position event', async () => {
    const { api, requests } = stubApi({
      'GET /api/tracking/live': () => jsonResponse(200, { server_time: NOW, agents: [agent('a1', 'Beto Ramírez', 20, 80)] }),
    });
    const container = mount(<TodayPage api={api} />);
    await settle();
    expect(container.querySelector('.live-list__item')?.textContent).toContain('Sin señal reciente');

    await act(async () => {
      FakeEventSource.last!.emit('open');
    });
    await settle();
    expect(container.textContent).toContain('En vivo');
    const loads = requests.length;

    await act(async () => {
      FakeEventSource.last!.emit('position', {
        agent_id: 'a1',
        device_id: 'd1',
        fix_time: Date.now(),
        received_at: Date.now(),
        latitude: 19.44,
        longitude: -99.14,
        accuracy_m: 5,
        speed_mps: 0,
        battery_pct: 75,
        charging: false,
      });
    });
    await settle();

    const item = container.querySelector('.live-list__item')?.textContent ?? '';
    expect(item).toContain('Activo');
    expect(item).toContain('visto hace menos de 1 min');
    expect(item).toContain('75 %');
    expect(requests.length).toBe(loads);
  });

  it('reloads list for an unknown agent', async () => {
    const { api, requests } = stubApi({
      'GET /api/tracking/live': () => jsonResponse(200, { server_time: NOW, agents: [] }),
    });
    const container = mount(<TodayPage api={api} />);
    await settle();
    expect(container.textContent).toContain('Aún no hay gestores en el mapa');
    const loads = requests.length;

    await act(async () => {
      FakeEventSource.last!.emit('position', { agent_id: 'new', fix_time: NOW, latitude: 19, longitude: -99 });
    });
    await settle();

    expect(requests.length).toBe(loads + 1);
  });

  it('reloads list after lagged event', async () => {
    const { api, requests } = stubApi({
      'GET /api/tracking/live': () => jsonResponse(200, { server_time: NOW, agents: [] }),
    });
    mount(<TodayPage api={api} />);
    await settle();
    const loads = requests.length;

    await act(async () => {
      FakeEventSource.last!.emit('lagged', 12);
    });
    await settle();

    expect(requests.length).toBe(loads + 1);
  });

  it('falls back to polling when stream fails', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { api, requests } = stubApi({
        'GET /api/tracking/live': () => jsonResponse(200, { server_time: NOW, agents: [] }),
      });
      const container = mount(<TodayPage api={api} />);
      await settle();
      await act(async () => {
        FakeEventSource.last!.emit('error');
      });
      await settle();
      expect(container.textContent).toContain('Se actualiza cada 15 segundos');
      const loads = requests.length;

      await act(async () => {
        vi.advanceTimersByTime(15_000);
      });
      await settle();

      expect(requests.length).toBe(loads + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the day numbers', async () => {
    const { api } = stubApi({
      'GET /api/tracking/live': () => jsonResponse(200, { server_time: NOW, agents: [] }),
      'GET /api/today': () => jsonResponse(200, TODAY),
    });
    const container = mount(<TodayPage api={api} />);
    await settle();

    const cards = [...container.querySelectorAll('.day-summary__item')].map((item) => [
      item.querySelector('dt')!.textContent,
      item.querySelector('dd')!.textContent,
    ]);
    expect(cards).toEqual([
      ['Planeadas', '40'],
      ['Hechas', '12'],
      ['Verificadas', '9'],
      ['Dudosas', '2'],
      ['Rechazadas', '1'],
      ['Promesas', '5'],
      ['Monto prometido', '$12,500.50'],
    ]);
  });

  it('shows error with retry', async () => {
    let fail = true;
    const { api } = stubApi({
      'GET /api/today': () => jsonResponse(200, TODAY),
      'GET /api/tracking/live': () =>
        fail
          ? jsonResponse(500, { code: 'internal', message: 'Error interno del servidor.', field: null })
          : jsonResponse(200, { server_time: NOW, agents: [] }),
    });
    const container = mount(<TodayPage api={api} />);
    await settle();

    expect(container.querySelector('[role="alert"]')?.textContent).toContain('No se pudieron cargar las posiciones');
    fail = false;
    await act(async () => {
      (container.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    });
    await settle();

    expect(container.textContent).toContain('Aún no hay gestores en el mapa');
  });
});

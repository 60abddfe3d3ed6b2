import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { mount, settle } from '../accounts/testing';
import { render } from 'preact';
import { LanguageStore } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';
import { addEntry, entryLink, FEED_CAP, parseFeedEvent, type FeedEntry } from './feedEvents';
import { LiveFeed } from './LiveFeed';

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

  async emit(name: string, data?: string) {
    const event = data === undefined ? new Event(name) : new MessageEvent(name, { data });
    await act(async () => {
      for (const listener of this.listeners.get(name) ?? []) listener(event);
    });
  }

  close() {
    this.closed = true;
  }
}

function payload(visitId: string, finishedAt: number, agent = 'Ana Ruiz') {
  return JSON.stringify({
    visit_id: visitId,
    account: { debtor_name: 'Juan Pérez', lender_account_id: 'BN-0042', lender_name: 'Banco Norte' },
    agent: { id: 'agent-1', name: agent },
    finished_at: finishedAt,
    result_code: 'PTP',
    result_label_es: 'Promesa de pago',
    result_label_en: 'Promise to pay',
  });
}

const AGENT_ID = '0193a5f0-7c1e-7d2a-9b3c-4d5e6f708192';

function lowBattery(batteryPct: unknown, at: unknown, agent: unknown = { id: AGENT_ID, name: 'Beto Ramírez' }) {
  return JSON.stringify({ agent, battery_pct: batteryPct, at });
}

function stale(lastSeenAt: unknown, minutes: unknown, agent: unknown = { id: AGENT_ID, name: 'Beto Ramírez' }) {
  return JSON.stringify({ agent, last_seen_at: lastSeenAt, stale_after_minutes: minutes });
}

/** Local clock time as the feed writes it, so the checks hold in any time zone. */
function clock(time: number, locale = 'es-MX') {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(time);
}

function mountIn(language: 'es' | 'en') {
  const container = document.createElement('div');
  document.body.append(container);
  render(
    <I18nProvider store={new LanguageStore(language)}>
      <LiveFeed />
    </I18nProvider>,
    container,
  );
  return container;
}

beforeEach(() => {
  vi.stubGlobal('EventSource', FakeEventSource);
});

afterEach(() => {
  vi.unstubAllGlobals();
  FakeEventSource.last = null;
  document.body.innerHTML = '';
});

describe('LiveFeed', () => {
  it('shows arriving visits and refused check-ins, newest first', async () => {
    const page = mount(<LiveFeed />);
    await settle();
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/api/live');
    expect(page.textContent).toContain('Aún no llegan visitas');

    await source.emit('open');
    expect(page.textContent).toContain('En vivo');
    const t0 = Date.UTC(2026, 11, 5, 16, 0);
    await source.emit('visit.completed', payload('v-1', t0));
    await source.emit('checkin.rejected', payload('v-2', t0 + 60_000, 'Luis Gómez'));
    // A position event is for the map, not for this list.
    await source.emit('position', '{"agent_id":"agent-1"}');

    const items = [...page.querySelectorAll('li')];
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Llegada rechazada');
    expect(items[0]!.textContent).toContain('Luis Gómez');
    expect(items[1]!.textContent).toContain('Visita terminada');
    expect(items[1]!.textContent).toContain('Juan Pérez · BN-0042 · Banco Norte');
    expect(items[1]!.textContent).toContain('Promesa de pago');
    expect(items[1]!.querySelector('time')?.getAttribute('datetime')).toBe(new Date(t0).toISOString());
  });

  it('links each visit to its evidence page', async () => {
    const page = mount(<LiveFeed />);
    await settle();
    const source = FakeEventSource.last!;
    const t0 = Date.UTC(2026, 11, 5, 16, 0);
    await source.emit('visit.completed', payload('0193a5f0-0000-7000-8000-000000000001', t0));
    await source.emit('checkin.rejected', payload('0193a5f0-0000-7000-8000-000000000002', t0 + 1000));

    const links = [...page.querySelectorAll('li a')];
    expect(links.map((link) => link.textContent)).toEqual(['Ver evidencia', 'Ver evidencia']);
    expect(links[0]!.getAttribute('href')).toBe('#/visits/0193a5f0-0000-7000-8000-000000000002');
    expect(links[1]!.getAttribute('href')).toBe('#/visits/0193a5f0-0000-7000-8000-000000000001');
  });

  it('shows low battery and stale agents with a link to their day', async () => {
    const page = mount(<LiveFeed />);
    await settle();
    const source = FakeEventSource.last!;
    const at = Date.UTC(2026, 11, 5, 17, 0);
    const lastSeen = Date.UTC(2026, 11, 5, 17, 30);
    await source.emit('agent.low_battery', lowBattery(12.4, at));
    await source.emit('agent.stale', stale(lastSeen, 5, { id: 'agent-2', name: 'Zoe Campos' }));

    const items = [...page.querySelectorAll('li')];
    expect(items).toHaveLength(2);

    const [staleItem, batteryItem] = items;
    expect(staleItem!.querySelector('strong')?.textContent).toBe('Sin señal reciente');
    expect(staleItem!.textContent).toContain('Zoe Campos');
    expect(staleItem!.textContent).toContain(
      `Sin posiciones desde las ${clock(lastSeen)} (5 min o más)`,
    );
    // The entry's time is when the agent became stale: the last position plus the limit.
    expect(staleItem!.querySelector('time')?.getAttribute('datetime')).toBe(
      new Date(lastSeen + 5 * 60_000).toISOString(),
    );
    expect(staleItem!.querySelector('a')?.getAttribute('href')).toBe('#/agents');
    expect(staleItem!.querySelector('a')?.textContent).toBe('Ver su día en Gestores');

    expect(batteryItem!.querySelector('strong')?.textContent).toBe('Batería baja');
    expect(batteryItem!.textContent).toContain('Beto Ramírez');
    expect(batteryItem!.textContent).toContain('12 % de batería y sin cargar');
    expect(batteryItem!.querySelector('time')?.getAttribute('datetime')).toBe(new Date(at).toISOString());
    expect(batteryItem!.querySelector('time')?.textContent).toBe(clock(at));
    expect(batteryItem!.querySelector('a')?.getAttribute('href')).toBe('#/agents');
    expect(batteryItem!.classList.contains('live-feed__item--agent-low-battery')).toBe(true);
  });

  it('writes agent entries in English', async () => {
    const page = mountIn('en');
    await settle();
    const source = FakeEventSource.last!;
    const lastSeen = Date.UTC(2026, 11, 5, 17, 30);
    await source.emit('agent.low_battery', lowBattery(7, lastSeen - 60_000));
    await source.emit('agent.stale', stale(lastSeen, 10));

    const items = [...page.querySelectorAll('li')];
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('No recent signal');
    expect(items[0]!.textContent).toContain(`No positions since ${clock(lastSeen, 'en-US')} (10 min or more)`);
    expect(items[0]!.querySelector('a')?.textContent).toBe('See their day in Agents');
    expect(items[1]!.textContent).toContain('Low battery');
    expect(items[1]!.textContent).toContain('7% battery, not charging');
  });

  it('says when the connection drops and closes the stream on unmount', async () => {
    const page = mount(<LiveFeed />);
    await settle();
    const source = FakeEventSource.last!;
    await source.emit('error');
    expect(page.textContent).toContain('Conexión perdida; reintentando.');
    await act(async () => {
      page.remove();
      const { render } = await import('preact');
      render(null, page);
    });
    expect(source.closed).toBe(true);
  });

  it('ignores events it cannot read', async () => {
    const page = mount(<LiveFeed />);
    await settle();
    await FakeEventSource.last!.emit('visit.completed', 'not json');
    await FakeEventSource.last!.emit('visit.completed', JSON.stringify({ visit_id: 'v-9' }));
    await FakeEventSource.last!.emit('agent.low_battery', '{"agent":');
    await FakeEventSource.last!.emit('agent.low_battery', lowBattery('12', 1000));
    await FakeEventSource.last!.emit('agent.stale', stale(1000, 5, { id: AGENT_ID }));
    expect(page.querySelectorAll('li')).toHaveLength(0);
    expect(page.textContent).toContain('Aún no llegan visitas');
  });
});

describe('feed list', () => {
  const entry = (id: string, time: number): FeedEntry => parseFeedEvent('visit.completed', payload(id, time))!;

  it('keeps time order, replaces a repeated visit and caps the list', () => {
    let list: FeedEntry[] = [];
    list = addEntry(list, entry('a', 100));
    list = addEntry(list, entry('b', 300));
    list = addEntry(list, entry('c', 200));
    expect(list.map((item) => item.key)).toEqual(['visit.completed:b', 'visit.completed:c', 'visit.completed:a']);
    list = addEntry(list, entry('a', 100));
    expect(list).toHaveLength(3);

    for (let i = 0; i < FEED_CAP + 10; i++) list = addEntry(list, entry(`n-${i}`, 1000 + i));
    expect(list).toHaveLength(FEED_CAP);
    expect(list[0]!.key).toBe(`visit.completed:n-${FEED_CAP + 9}`);
  });

  it('needs a visit id, an agent and a finish time', () => {
    expect(parseFeedEvent('visit.completed', JSON.stringify({ visit_id: 'v', agent: { name: 'A' } }))).toBeNull();
    expect(parseFeedEvent('checkin.rejected', payload('v', 5))?.key).toBe('checkin.rejected:v');
  });

  it('keeps separate agent events, replaces a repeat', () => {
    const first = parseFeedEvent('agent.low_battery', lowBattery(15, 1000))!;
    const second = parseFeedEvent('agent.low_battery', lowBattery(9, 2000))!;
    const staleEntry = parseFeedEvent('agent.stale', stale(500, 5))!;
    let list: FeedEntry[] = [];
    list = addEntry(list, first);
    list = addEntry(list, second);
    list = addEntry(list, staleEntry);
    list = addEntry(list, parseFeedEvent('agent.low_battery', lowBattery(15, 1000))!);
    expect(list.map((item) => item.key)).toEqual([
      `agent.stale:${AGENT_ID}:500`,
      `agent.low_battery:${AGENT_ID}:2000`,
      `agent.low_battery:${AGENT_ID}:1000`,
    ]);
    // Stale since 500 ms plus five minutes, so it sorts above both battery events.
    expect(list[0]!.time).toBe(500 + 5 * 60_000);
  });

  it('reads the agent events the server sends', () => {
    expect(parseFeedEvent('agent.low_battery', lowBattery(12.0, 1_764_950_400_000))).toEqual({
      key: `agent.low_battery:${AGENT_ID}:1764950400000`,
      kind: 'agent.low_battery',
      time: 1_764_950_400_000,
      agentId: AGENT_ID,
      agentName: 'Beto Ramírez',
      batteryPct: 12,
    });
    expect(parseFeedEvent('agent.stale', stale(1_764_950_400_000, 5))).toEqual({
      key: `agent.stale:${AGENT_ID}:1764950400000`,
      kind: 'agent.stale',
      time: 1_764_950_700_000,
      agentId: AGENT_ID,
      agentName: 'Beto Ramírez',
      lastSeenAt: 1_764_950_400_000,
      staleAfterMinutes: 5,
    });
  });

  it('rejects malformed agent events', () => {
    const cases: [string, string][] = [
      ['not JSON', 'nope'],
      ['a JSON array', '[1, 2]'],
      ['JSON null', 'null'],
      ['no agent', JSON.stringify({ battery_pct: 12, at: 1000 })],
      ['agent without id', lowBattery(12, 1000, { name: 'Beto' })],
      ['agent with a blank name', lowBattery(12, 1000, { id: AGENT_ID, name: '  ' })],
      ['battery as text', lowBattery('12', 1000)],
      ['battery above 100', lowBattery(120, 1000)],
      ['negative battery', lowBattery(-1, 1000)],
      ['missing time', lowBattery(12, undefined)],
      ['time as text', lowBattery(12, '2026-12-05T17:00:00Z')],
    ];
    for (const [name, data] of cases) {
      expect(parseFeedEvent('agent.low_battery', data), name).toBeNull();
    }

    const staleCases: [string, string][] = [
      ['not JSON', '{'],
      ['agent as text', stale(1000, 5, 'Beto')],
      ['missing last_seen_at', stale(undefined, 5)],
      ['last_seen_at as text', stale('1000', 5)],
      ['missing stale_after_minutes', stale(1000, undefined)],
      ['zero minutes', stale(1000, 0)],
      ['negative minutes', stale(1000, -5)],
    ];
    for (const [name, data] of staleCases) {
      expect(parseFeedEvent('agent.stale', data), name).toBeNull();
    }
  });

  it('links visits to evidence and agents to their day', () => {
    expect(entryLink(parseFeedEvent('visit.completed', payload('v 1/2', 5))!)).toBe('#/visits/v%201%2F2');
    expect(entryLink(parseFeedEvent('agent.stale', stale(1000, 5))!)).toBe('#/agents');
  });
});

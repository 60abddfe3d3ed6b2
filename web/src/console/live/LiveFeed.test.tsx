import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { mount, settle } from '../accounts/testing';
import { addEntry, FEED_CAP, parseFeedEvent, type FeedEntry } from './feedEvents';
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
    expect(page.querySelectorAll('li')).toHaveLength(0);
  });
});

describe('feed list', () => {
  const entry = (id: string, time: number): FeedEntry => parseFeedEvent('visit.completed', payload(id, time))!;

  it('keeps time order, replaces a repeated visit and caps the list', () => {
    let list: FeedEntry[] = [];
    list = addEntry(list, entry('a', 100));
    list = addEntry(list, entry('b', 300));
    list = addEntry(list, entry('c', 200));
    expect(list.map((item) => item.visitId)).toEqual(['b', 'c', 'a']);
    list = addEntry(list, entry('a', 100));
    expect(list).toHaveLength(3);

    for (let i = 0; i < FEED_CAP + 10; i++) list = addEntry(list, entry(`n-${i}`, 1000 + i));
    expect(list).toHaveLength(FEED_CAP);
    expect(list[0]!.visitId).toBe(`n-${FEED_CAP + 9}`);
  });

  it('needs a visit id, an agent and a finish time', () => {
    expect(parseFeedEvent('visit.completed', JSON.stringify({ visit_id: 'v', agent: { name: 'A' } }))).toBeNull();
    expect(parseFeedEvent('checkin.rejected', payload('v', 5))?.key).toBe('checkin.rejected:v');
  });
});

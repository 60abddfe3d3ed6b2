import { IDBFactory } from 'fake-indexeddb';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DayPackage, FieldApi } from '../../shared/field-api';
import { LanguageStore } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';
import { Changes, ServicesContext, type FieldServices } from '../services';
import { saveDay, type StoredDay } from '../storage/day';
import { Outbox } from '../storage/outbox';
import { openFieldDb } from '../storage/schema';
import { TrackingStore } from '../storage/tracking';
import { SyncEngine } from '../sync/engine';
import { DayStatus } from './DayStatus';
import { useDay, type DayState } from './useDay';

const PACKAGE: DayPackage = {
  fetched_at: 1_780_000_000_000,
  server_time: 1_780_000_000_000,
  agent: { id: 'a-1', name: 'Beto Ramírez' },
  shift: null,
  stops: [],
  forms: [],
  form_for: { collection: null, verification: null },
  contact_rules: { window_start: '07:00', window_end: '22:00' },
  checkin_rules: {},
  result_codes: [],
  lenders: [],
};

/** Replaces the browser's storage manager with one that reports `usage` bytes used. */
function stubStorage(usage: number, persisted: boolean) {
  const storage = {
    estimate: vi.fn(async () => ({ usage, quota: 10 * 1024 ** 3 })),
    persisted: vi.fn(async () => persisted),
    persist: vi.fn(async () => true),
  };
  Object.defineProperty(navigator, 'storage', { value: storage, configurable: true });
  return storage;
}

async function settle() {
  for (let round = 0; round < 3; round++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

function mount(children: preact.ComponentChildren) {
  const container = document.createElement('div');
  document.body.append(container);
  render(<I18nProvider store={new LanguageStore('es')}>{children}</I18nProvider>, container);
  return container;
}

afterEach(() => {
  Reflect.deleteProperty(navigator, 'storage');
  document.body.innerHTML = '';
});

describe('DayStatus storage', () => {
  const day = (stored: StoredDay | null): DayState => ({
    stored,
    loading: false,
    downloading: false,
    error: null,
    download: async () => undefined,
  });

  it('shows space used and kept data', async () => {
    stubStorage(552_858, true);
    const page = mount(<DayStatus day={day({ received_at: 1 } as StoredDay)} online />);
    await settle();
    expect(page.textContent).toContain('Espacio usado: 539.9 KB de 10 GB.');
    expect(page.textContent).toContain('El teléfono conservará estos datos.');
  });

  it('warns data may be cleared', async () => {
    stubStorage(2048, false);
    const page = mount(<DayStatus day={day(null)} online />);
    await settle();
    expect(page.textContent).toContain('Espacio usado: 2 KB de 10 GB.');
    expect(page.textContent).toContain('El teléfono podría borrar estos datos si se queda sin espacio.');
  });
});

describe('DayStatus outdated day', () => {
  const DAY_MS = 24 * 60 * 60 * 1000;
  const day = (receivedAt: number): DayState => ({
    stored: { day: PACKAGE, received_at: receivedAt, server_offset_ms: 0 },
    loading: false,
    downloading: false,
    error: null,
    download: async () => undefined,
  });

  it('warns about yesterday\'s package', async () => {
    const page = mount(<DayStatus day={day(Date.now() - DAY_MS)} online={false} />);
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toMatch(
      /^Este día se descargó el .+\. Conéctate y actualiza tu día antes de salir a visitar\.$/,
    );
  });

  it('stays quiet for today\'s package', async () => {
    const page = mount(<DayStatus day={day(Date.now())} online={false} />);
    await settle();
    expect(page.querySelector('[role=alert]')).toBeNull();
  });
});

/** Creates field services over a new in-memory database, with `getDay` as the day request. */
async function services(getDay: () => Promise<DayPackage>): Promise<FieldServices> {
  const db = await openFieldDb(new IDBFactory());
  const outbox = new Outbox(db);
  const tracking = new TrackingStore(db);
  const api = { getDay } as unknown as FieldApi;
  return {
    db,
    outbox,
    tracking,
    api,
    changes: new Changes(),
    lastSync: { report: null, at: null },
    sync: new SyncEngine({ outbox, tracking, transport: api }),
  };
}

/** Mounts `useDay` over `field`. `show(online)` renders it again with that connection. */
function mountDay(field: FieldServices) {
  const result: { state: DayState | null; show: (online: boolean) => void } = { state: null, show: () => undefined };
  function Probe(props: { online: boolean }) {
    result.state = useDay(props.online);
    return null;
  }
  const container = document.createElement('div');
  document.body.append(container);
  result.show = (online: boolean) =>
    render(
      <I18nProvider store={new LanguageStore('es')}>
        <ServicesContext.Provider value={field}>
          <Probe online={online} />
        </ServicesContext.Provider>
      </I18nProvider>,
      container,
    );
  return result;
}

describe('useDay refresh', () => {
  it('replaces an earlier day when the connection returns', async () => {
    const getDay = vi.fn(async () => PACKAGE);
    const field = await services(getDay);
    await saveDay(field.db, PACKAGE, Date.now() - 24 * 60 * 60 * 1000);
    const day = mountDay(field);
    day.show(false);
    await settle();
    expect(getDay).not.toHaveBeenCalled();
    day.show(true);
    await settle();
    expect(getDay).toHaveBeenCalledTimes(1);
    expect(new Date(day.state!.stored!.received_at).toDateString()).toBe(new Date().toDateString());
  });

  it('keeps today\'s package when the connection returns', async () => {
    const getDay = vi.fn(async () => PACKAGE);
    const field = await services(getDay);
    await saveDay(field.db, PACKAGE, Date.now());
    const day = mountDay(field);
    day.show(false);
    await settle();
    day.show(true);
    await settle();
    expect(getDay).not.toHaveBeenCalled();
  });
});

describe('useDay', () => {
  it('requests persistence after download', async () => {
    const storage = stubStorage(0, false);
    const day = mountDay(await services(async () => PACKAGE));
    day.show(false);
    await settle();
    expect(storage.persist).not.toHaveBeenCalled();
    await act(async () => {
      await day.state!.download();
    });
    expect(storage.persist).toHaveBeenCalledTimes(1);
    expect(day.state!.stored?.day.agent.name).toBe('Beto Ramírez');
  });
});

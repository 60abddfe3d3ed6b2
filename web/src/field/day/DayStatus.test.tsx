import { IDBFactory } from 'fake-indexeddb';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DayPackage, FieldApi } from '../../shared/field-api';
import { LanguageStore } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';
import { Changes, ServicesContext, type FieldServices } from '../services';
import type { StoredDay } from '../storage/day';
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

describe('useDay', () => {
  it('requests persistence after download', async () => {
    const storage = stubStorage(0, false);
    const db = await openFieldDb(new IDBFactory());
    const outbox = new Outbox(db);
    const tracking = new TrackingStore(db);
    const api = { getDay: async () => PACKAGE } as unknown as FieldApi;
    const services: FieldServices = {
      db,
      outbox,
      tracking,
      api,
      changes: new Changes(),
      lastSync: { report: null, at: null },
      sync: new SyncEngine({ outbox, tracking, transport: api }),
    };
    let state: DayState | null = null;
    function Probe() {
      state = useDay(false);
      return null;
    }
    mount(
      <ServicesContext.Provider value={services}>
        <Probe />
      </ServicesContext.Provider>,
    );
    await settle();
    expect(storage.persist).not.toHaveBeenCalled();
    await act(async () => {
      await state!.download();
    });
    expect(storage.persist).toHaveBeenCalledTimes(1);
    expect(state!.stored?.day.agent.name).toBe('Beto Ramírez');
  });
});

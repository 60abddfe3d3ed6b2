import { IDBFactory } from 'fake-indexeddb';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldApi, type DayPackage, type DayStop } from '../../shared/field-api';
import type { FormDefinition } from '../../shared/forms/model';
import { LanguageStore } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';
import { Changes, ServicesContext, type FieldServices } from '../services';
import type { StoredDay } from '../storage/day';
import { Outbox } from '../storage/outbox';
import { openFieldDb } from '../storage/schema';
import { TrackingStore } from '../storage/tracking';
import { FakeFieldServer } from '../sync/fake-server';
import { SyncEngine } from '../sync/engine';
import { VisitScreen } from './VisitScreen';

const HOME = { latitude: 19.4326, longitude: -99.1332 };
// 0.018° of latitude is about 2 km.
const TWO_KM_NORTH = { latitude: 19.4506, longitude: -99.1332 };

const FORM: FormDefinition = {
  form_id: 'visita_cobranza',
  version: '1',
  title: { es: 'Visita de cobranza' },
  default_language: 'es',
  languages: ['es', 'en'],
  questions: [
    { type: 'select_one', name: 'person_met', label: { es: '¿Con quién hablaste?' }, list_name: 'people', required: 'true()' },
    { type: 'decimal', name: 'promise_amount', label: { es: 'Monto prometido' }, relevant: "${person_met} = 'debtor'" },
    { type: 'text', name: 'notes', label: { es: 'Notas' } },
  ],
  choices: {
    people: [
      { name: 'debtor', label: { es: 'Titular' } },
      { name: 'nobody', label: { es: 'Nadie' } },
    ],
  },
};

const STOP: DayStop = {
  assignment_id: 'as-1',
  route_order: 1,
  visited: false,
  account: {
    id: 'acc-1', lender_id: 'l-1', lender_name: 'Financiera Sol', lender_account_id: 'C-100', product: null,
    overdue_cents: 150000, days_past_due: 40, debtor_name: 'Juana Pérez', persons: [],
  },
  address: {
    id: 'addr-1', street: 'Av. Juárez', exterior_number: '10', interior_number: null, colonia: 'Centro',
    postal_code: '06000', locality: null, municipality: 'Cuauhtémoc', state: 'Ciudad de México', between_streets: null,
    landmarks: null, original_text: 'Av. Juárez 10, Centro', time_zone: 'America/Mexico_City', point: { ...HOME, source: 'geocoder', confidence: 1 }, verified_point: null,
  },
};

const DAY: DayPackage = {
  fetched_at: 0, server_time: 0, agent: { id: 'ag', name: 'Beto' }, shift: null, stops: [STOP],
  forms: [{ id: 'fv-1', form_id: 'visita_cobranza', version: '1', content_hash: 'x', title: FORM.title, definition: FORM }],
  form_for: { collection: 'fv-1', verification: null }, contact_rules: { window_start: '07:00', window_end: '22:00' },
  checkin_rules: {}, result_codes: [], lenders: [],
};

/** Offset that puts the corrected clock at `hour`:00 in Mexico City (UTC-6) today. */
function offsetToLocalHour(hour: number): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour + 6, 0, 0) - Date.now();
}

async function setup() {
  const db = await openFieldDb(new IDBFactory());
  const outbox = new Outbox(db);
  const tracking = new TrackingStore(db);
  const server = new FakeFieldServer();
  const api = new FieldApi({ fetch: server.fetch });
  const changes = new Changes();
  const services: FieldServices = {
    db, outbox, tracking, api, changes, lastSync: { report: null, at: null },
    sync: new SyncEngine({ outbox, tracking, transport: api }),
  };
  return { services, outbox, server };
}

function mount(services: FieldServices, id: string, stored: StoredDay) {
  const container = document.createElement('div');
  document.body.append(container);
  render(
    <I18nProvider store={new LanguageStore('es')}>
      <ServicesContext.Provider value={services}>
        <VisitScreen id={id} stored={stored} />
      </ServicesContext.Provider>
    </I18nProvider>,
    container,
  );
  return container;
}

async function settle(times = 5) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
}

function stubGeolocation(point: { latitude: number; longitude: number }, accuracy: number) {
  const geolocation = {
    watchPosition(success: PositionCallback) {
      setTimeout(() =>
        success({
          coords: { ...point, accuracy, altitude: null, altitudeAccuracy: null, heading: null, speed: null },
          timestamp: Date.now(),
        } as unknown as GeolocationPosition),
      );
      return 1;
    },
    clearWatch() {},
    getCurrentPosition() {},
  };
  Object.defineProperty(navigator, 'geolocation', { value: geolocation, configurable: true });
}

function buttonNamed(container: HTMLElement, text: string): HTMLButtonElement {
  const button = [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
  if (button === undefined) throw new Error(`No button "${text}" in: ${container.textContent}`);
  return button;
}

async function draft(outbox: Outbox, withCheckIn: boolean) {
  return outbox.createDraft({
    assignment_id: 'as-1', account_id: 'acc-1', address_id: 'addr-1', form_version_id: 'fv-1', label: 'Juana Pérez',
    started_at: Date.now(),
    check_in: withCheckIn
      ? { fix: { ...HOME, accuracy_m: 8, fix_time: Date.now() }, device_time: Date.now(), server_offset_ms: 0, on_device: { decision: 'accepted', reasons: [] } }
      : null,
  });
}

describe('visit screen', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('refuses a check-in 2 km away and says why', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, false);
    stubGeolocation(TWO_KM_NORTH, 10);
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: offsetToLocalHour(12) });
    await settle();
    await act(async () => buttonNamed(container, 'Registrar llegada').click());
    await settle();
    expect(container.textContent).toContain('No se pudo registrar la llegada');
    expect(container.textContent).toMatch(/Estás a 2\.0 km del domicilio; el máximo es \d+ m\./);
    expect((await outbox.get(record.id))?.check_in).toBeNull();

    await act(async () => buttonNamed(container, 'Domicilio no localizado').click());
    await settle();
    const stored = await outbox.get(record.id);
    expect(stored?.check_in?.exception).toBe('address_not_found');
    expect(stored?.check_in?.on_device.decision).toBe('refused');
  });

  it('refuses at 22:30 at the address and offers no exception', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, false);
    stubGeolocation(HOME, 8);
    const offset = offsetToLocalHour(22) + 30 * 60_000;
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: offset });
    await settle();
    await act(async () => buttonNamed(container, 'Registrar llegada').click());
    await settle();
    expect(container.textContent).toContain('Son las 22:30 en el domicilio: solo se visita de 07:00 a 22:00.');
    expect(container.textContent).not.toContain('Domicilio no localizado');
  });

  it('accepts at the address and keeps the fix and the clock offset', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, false);
    stubGeolocation(HOME, 8);
    const offset = offsetToLocalHour(12);
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: offset });
    await settle();
    await act(async () => buttonNamed(container, 'Registrar llegada').click());
    await settle();
    const checkIn = (await outbox.get(record.id))?.check_in;
    expect(checkIn?.on_device).toEqual({ decision: 'accepted', reasons: [] });
    expect(checkIn?.fix.accuracy_m).toBe(8);
    expect(checkIn?.server_offset_ms).toBe(offset);
    expect(container.textContent).toContain('¿Con quién hablaste?');
  });

  it('keeps typed answers across a remount', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, true);
    const stored = { day: DAY, received_at: Date.now(), server_offset_ms: 0 };
    let container = mount(services, record.id, stored);
    await settle();
    await act(async () => container.querySelector<HTMLInputElement>('input[value="debtor"]')!.click());
    await settle();
    await act(async () => {
      const amount = container.querySelector<HTMLInputElement>('#q-promise_amount')!;
      amount.value = '1250.50';
      amount.dispatchEvent(new Event('input', { bubbles: true }));
      const notes = container.querySelector<HTMLInputElement>('#q-notes')!;
      notes.value = 'Atendió en la puerta';
      notes.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await settle();
    expect((await outbox.get(record.id))?.answers).toMatchObject({ person_met: 'debtor', promise_amount: 1250.5, notes: 'Atendió en la puerta' });

    render(null, container);
    document.body.innerHTML = '';
    container = mount(services, record.id, stored);
    await settle();
    expect(container.querySelector<HTMLInputElement>('input[value="debtor"]')!.checked).toBe(true);
    expect(container.querySelector<HTMLInputElement>('#q-promise_amount')!.value).toBe('1250.5');
    expect(container.querySelector<HTMLInputElement>('#q-notes')!.value).toBe('Atendió en la puerta');
  });

  it('a double tap on finish makes one record and one upload', async () => {
    const { services, outbox, server } = await setup();
    const record = await draft(outbox, true);
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: 0 });
    await settle();
    await act(async () => container.querySelector<HTMLInputElement>('input[value="nobody"]')!.click());
    await settle();
    const finish = buttonNamed(container, 'Terminar visita');
    await act(async () => {
      finish.click();
      finish.click();
    });
    await settle(10);
    await services.sync.sync();
    expect((await outbox.all()).length).toBe(1);
    expect((await outbox.get(record.id))?.state).toBe('acknowledged');
    expect(server.visits.size).toBe(1);
    expect(server.count('PUT', '/api/field/visits/')).toBe(1);
    expect(JSON.parse(server.visits.get(record.id)!.body).answers).toEqual({ person_met: 'nobody' });
  });
});

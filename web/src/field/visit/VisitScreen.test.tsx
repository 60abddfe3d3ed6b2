import { IDBFactory } from 'fake-indexeddb';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FieldApi, type DayPackage, type DayStop } from '../../shared/field-api';
import type { FormDefinition } from '../../shared/forms/model';
import { LanguageStore, type Language } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';
import { Changes, ServicesContext, type FieldServices } from '../services';
import type { StoredDay } from '../storage/day';
import { Outbox, OutboxError } from '../storage/outbox';
import { openFieldDb } from '../storage/schema';
import { TrackingStore } from '../storage/tracking';
import { FakeFieldServer } from '../sync/fake-server';
import { SyncEngine } from '../sync/engine';
import type { PreparedImage } from '../form/image';
import { VisitScreen } from './VisitScreen';

// resizePhoto runs for real unless a test sets `image.resize`; happy-dom cannot
// decode images, so the real one fails like a browser given a broken file.
const image = vi.hoisted(() => ({ resize: null as null | ((file: Blob, maxPixels: number) => Promise<PreparedImage>) }));
vi.mock('../form/image', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../form/image')>();
  return {
    ...actual,
    resizePhoto: (file: Blob, maxPixels: number) => (image.resize ?? actual.resizePhoto)(file, maxPixels),
  };
});

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

function mount(services: FieldServices, id: string, stored: StoredDay, language: Language = 'es') {
  const container = document.createElement('div');
  document.body.append(container);
  render(
    <I18nProvider store={new LanguageStore(language)}>
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
    image.resize = null;
    window.location.hash = '';
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
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

const CONTACT_DAY: DayPackage = {
  ...DAY,
  stops: [
    {
      ...STOP,
      account: {
        ...STOP.account,
        persons: [
          { role: 'debtor', name: 'Juana Pérez', phones: ['55 9876 5432', '+52 55 1111-2222'] },
          { role: 'reference', name: 'Pedro Ruiz', phones: ['5500000000'] },
        ],
      },
    },
  ],
  lenders: [
    { id: 'l-1', name: 'Financiera Sol', payment_references: ['CLABE 012180001234567891', 'OXXO 4455 6677'], collection_phones: ['800 123 4567'] },
    { id: 'l-2', name: 'Otro Otorgante', payment_references: ['NO MOSTRAR'], collection_phones: ['800 999 9999'] },
  ],
};

function telLinks(container: HTMLElement): Array<{ href: string; label: string | null }> {
  return [...container.querySelectorAll<HTMLAnchorElement>('a[href^="tel:"]')].map((a) => ({ href: a.getAttribute('href')!, label: a.getAttribute('aria-label') }));
}

/** Hands `file` to the file input as if the camera had returned it. */
async function pickFile(input: HTMLInputElement, file: File) {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

const PHOTO_FORM: FormDefinition = {
  ...FORM,
  questions: [{ type: 'image', name: 'facade_photo', label: { es: 'Foto de la fachada' }, parameters: { max_pixels: 1024 } }, ...FORM.questions],
};
const PHOTO_DAY: DayPackage = { ...DAY, forms: [{ ...DAY.forms[0]!, definition: PHOTO_FORM }] };

describe('visit screen: account and phones', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    window.location.hash = '';
  });

  it('shows the lender, its payment references and the phones to call', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, true);
    const container = mount(services, record.id, { day: CONTACT_DAY, received_at: Date.now(), server_offset_ms: 0 });
    await settle();
    const text = container.textContent ?? '';
    expect(text).toContain('Financiera Sol');
    expect(text).toContain('C-100');
    expect(text).toContain('Referencias de pago del otorgante');
    expect(text).toContain('CLABE 012180001234567891');
    expect(text).toContain('OXXO 4455 6677');
    expect(text).not.toContain('NO MOSTRAR');
    expect(telLinks(container)).toEqual([
      { href: 'tel:8001234567', label: 'Llamar al 800 123 4567' },
      { href: 'tel:5598765432', label: 'Llamar al 55 9876 5432' },
      { href: 'tel:+525511112222', label: 'Llamar al +52 55 1111-2222' },
    ]);
    // The form stays on the same screen, under the references.
    expect(text).toContain('¿Con quién hablaste?');
  });

  it('speaks English in the English locale and says when nothing is on file', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, false);
    // The route keeps showing this visit, so the remount below finds the draft.
    window.location.hash = `#/visita/${record.id}`;
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: 0 }, 'en');
    await settle();
    const text = container.textContent ?? '';
    expect(text).toContain("Lender's payment references");
    expect(text).toContain('The lender has no payment references on file.');
    expect(text).toContain("Debtor's phones");
    expect(text).toContain('No phones on file.');
    expect(telLinks(container)).toEqual([]);

    render(null, container);
    document.body.innerHTML = '';
    const withPhones = mount(services, record.id, { day: CONTACT_DAY, received_at: Date.now(), server_offset_ms: 0 }, 'en');
    await settle();
    expect(telLinks(withPhones)[0]).toEqual({ href: 'tel:8001234567', label: 'Call 800 123 4567' });
  });
});

describe('visit screen: drafts and errors', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    window.location.hash = '';
    vi.restoreAllMocks();
  });

  it('an untouched visit does not count as pending and is dropped on leaving', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, false);
    expect(await outbox.unsent()).toEqual([]);
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: 0 });
    await settle();
    window.location.hash = '#/';
    render(null, container);
    await settle();
    expect(await outbox.get(record.id)).toBeUndefined();
  });

  it('keeps a visit with a check-in, and one still on screen', async () => {
    const { services, outbox } = await setup();
    const checkedIn = await draft(outbox, true);
    expect((await outbox.unsent()).map((r) => r.id)).toEqual([checkedIn.id]);
    let container = mount(services, checkedIn.id, { day: DAY, received_at: Date.now(), server_offset_ms: 0 });
    await settle();
    window.location.hash = '#/';
    render(null, container);
    await settle();
    expect((await outbox.get(checkedIn.id))?.state).toBe('draft');

    // A remount of the same visit (the route still shows it) keeps even an untouched draft.
    await outbox.discardDraft(checkedIn.id);
    const fresh = await draft(outbox, false);
    window.location.hash = `#/visita/${fresh.id}`;
    container = mount(services, fresh.id, { day: DAY, received_at: Date.now(), server_offset_ms: 0 });
    await settle();
    render(null, container);
    await settle();
    expect(await outbox.get(fresh.id)).toBeDefined();
  });

  it('shows a Spanish message when finishing fails, and logs the technical one', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, true);
    const technical = `Visit record ${record.id} has no check-in`;
    vi.spyOn(outbox, 'finalize').mockRejectedValue(new OutboxError('incomplete', technical));
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: 0 });
    await settle();
    await act(async () => container.querySelector<HTMLInputElement>('input[value="nobody"]')!.click());
    await settle();
    await act(async () => buttonNamed(container, 'Terminar visita').click());
    await settle();
    const alert = [...container.querySelectorAll('[role="alert"]')].map((n) => n.textContent).join(' ');
    expect(alert).toContain('Falta registrar la llegada. Regístrala antes de terminar la visita.');
    expect(container.textContent).not.toContain(technical);
    expect(String(log.mock.calls[0]?.[1])).toContain(technical);
  });

  it('a storage failure reads as a device problem, not a server one', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, true);
    vi.spyOn(outbox, 'saveAnswers').mockRejectedValue(new DOMException('Quota exceeded', 'QuotaExceededError'));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: 0 }, 'en');
    await settle();
    await act(async () => container.querySelector<HTMLInputElement>('input[value="nobody"]')!.click());
    await settle();
    await act(async () => buttonNamed(container, 'Finish visit').click());
    await settle();
    expect(container.textContent).toContain('The visit could not be saved on the phone.');
    expect(container.textContent).not.toContain('Quota exceeded');
  });
});

describe('visit screen: photos', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    image.resize = null;
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('unreadable question photo, then a good one', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, true);
    vi.stubGlobal('createImageBitmap', () => Promise.reject(new DOMException('The source image could not be decoded.', 'InvalidStateError')));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const container = mount(services, record.id, { day: PHOTO_DAY, received_at: Date.now(), server_offset_ms: 0 });
    await settle();
    const input = container.querySelector<HTMLInputElement>('#q-facade_photo')!;
    await pickFile(input, new File([new Uint8Array([1, 2, 3])], 'roto.jpg', { type: 'image/jpeg' }));
    expect(container.textContent).toContain('No se pudo leer la foto. Tómala de nuevo.');
    expect((await outbox.get(record.id))?.attachments).toEqual([]);

    const sizes: number[] = [];
    image.resize = async (_file, maxPixels) => {
      sizes.push(maxPixels);
      return { data: new Uint8Array([9, 9, 9]).buffer, contentType: 'image/jpeg', width: 1024, height: 768 };
    };
    await pickFile(input, new File([new Uint8Array([4, 5, 6])], 'bien.jpg', { type: 'image/jpeg' }));
    expect(container.textContent).not.toContain('No se pudo leer la foto');
    expect(sizes).toEqual([1024]);
    const stored = await outbox.get(record.id);
    expect(stored?.attachments.map((a) => a.kind)).toEqual(['photo']);
    expect(stored?.answers.facade_photo).toBe(stored?.attachments[0]?.sha256);
  });

  it('unreadable pin photo in both languages', async () => {
    const { services, outbox } = await setup();
    const record = await draft(outbox, false);
    stubGeolocation(TWO_KM_NORTH, 10);
    vi.stubGlobal('createImageBitmap', () => Promise.reject(new DOMException('The source image could not be decoded.', 'InvalidStateError')));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const container = mount(services, record.id, { day: DAY, received_at: Date.now(), server_offset_ms: offsetToLocalHour(12) }, 'en');
    await settle();
    await act(async () => buttonNamed(container, 'Check in').click());
    await settle();
    const input = container.querySelector<HTMLInputElement>('.checkin input[type="file"]')!;
    await pickFile(input, new File([new Uint8Array([1])], 'broken.heic', { type: 'image/heic' }));
    expect(container.textContent).toContain('The photo could not be read. Take it again.');
    expect((await outbox.get(record.id))?.check_in).toBeNull();

    // A readable photo then proposes the pin and stores the photo with the check-in.
    image.resize = async () => ({ data: new Uint8Array([7, 7]).buffer, contentType: 'image/jpeg', width: 10, height: 10 });
    await pickFile(input, new File([new Uint8Array([2])], 'ok.jpg', { type: 'image/jpeg' }));
    const stored = await outbox.get(record.id);
    expect(stored?.check_in?.exception).toBe('pin_correction');
    expect(stored?.check_in?.proposed_point).toEqual({ latitude: TWO_KM_NORTH.latitude, longitude: TWO_KM_NORTH.longitude });
    expect(stored?.attachments.map((a) => [a.kind, a.question])).toEqual([['pin_photo', 'check_in']]);
  });
});

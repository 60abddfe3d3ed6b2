import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountPageData } from './AccountPageApi';
import { accountIdFromHash, addressLine } from './AccountPageApi';
import { AccountPage } from './AccountPage';
import { pesosToCents } from './AccountPageContactForm';
import { buttonByText, click, jsonResponse, mount, selectOption, settle, stubApi } from './testing';

/** The map's click handler and the markers drawn, from the fake Leaflet below. */
const fakeMap: { onClick: ((event: { latlng: { lat: number; lng: number } }) => void) | null; markers: string[] } = {
  onClick: null,
  markers: [],
};

vi.mock('../../shared/map/leaflet', () => {
  const bounds = () => {
    let valid = false;
    const self = {
      extend() {
        valid = true;
        return self;
      },
      isValid: () => valid,
      pad: () => self,
    };
    return self;
  };
  const L = {
    latLng: (lat: number, lng: number) => ({ lat, lng }),
    latLngBounds: bounds,
    layerGroup: () => {
      const group = { addTo: () => group, clearLayers: () => (fakeMap.markers = []) };
      return group;
    },
    circleMarker: (_at: unknown, options: { className?: string }) => {
      const chain = {
        bindTooltip: () => chain,
        addTo: () => {
          fakeMap.markers.push(options.className ?? '');
          return chain;
        },
      };
      return chain;
    },
  };
  return {
    loadLeaflet: async () => L,
    createMap: () => ({
      fitBounds() {},
      remove() {},
      on(_name: string, handler: (event: { latlng: { lat: number; lng: number } }) => void) {
        fakeMap.onClick = handler;
      },
    }),
    escapeHtml: (text: string) => text,
  };
});

const ACCOUNT_ID = '0193a5f0-0000-7000-8000-00000000000a';
const ADDRESS_ID = '0193a5f0-0000-7000-8000-00000000000b';
const DEBTOR_ID = '0193a5f0-0000-7000-8000-00000000000c';
const VISIT_ID = '0193a5f0-0000-7000-8000-00000000000d';

function account(overrides: Partial<AccountPageData> = {}): AccountPageData {
  return {
    account: {
      id: ACCOUNT_ID,
      lender_id: 'l-1',
      lender_name: 'Financiera del Valle',
      portfolio_id: 'p-1',
      portfolio_name: 'Julio 2026',
      lender_account_id: 'FV-1',
      product: 'Crédito personal',
      principal_cents: 3_000_000,
      overdue_cents: 1_250_000,
      days_past_due: 95,
      currency: 'MXN',
      custom_fields: { sucursal: 'Roma' },
    },
    persons: [{ id: DEBTOR_ID, role: 'debtor', name: 'Ana Titular', phones: ['5512345678'], emails: ['ana@correo.mx'] }],
    addresses: [
      {
        id: ADDRESS_ID,
        street: 'Durango',
        exterior_number: '100',
        interior_number: '4B',
        colonia: 'Roma Norte',
        postal_code: '06700',
        locality: null,
        municipality: 'Cuauhtémoc',
        state: 'Ciudad de México',
        between_streets: 'Orizaba y Córdoba',
        landmarks: 'Portón verde',
        original_text: 'DURANGO 100 INT 4B ROMA NTE',
        geocode: null,
        verified_point: null,
        verified_source: null,
        time_zone: 'America/Mexico_City',
        needs_pin: true,
      },
    ],
    assignment: { assignment_id: 's-1', agent_id: 'u-1', agent_name: 'Beto Ramírez', assigned_at: 1_784_000_000_000 },
    history: [
      {
        kind: 'contact_attempt',
        id: 'c-1',
        at: 1_784_142_000_000,
        channel: 'phone',
        user_id: 'u-2',
        user_name: 'Sofía Supervisora',
        result_code: 'PTP',
        result_label_es: 'Promesa de pago',
        result_label_en: 'Promise to pay',
        verdict: null,
        person_met: 'debtor',
        person_name: 'Ana Titular',
        promise_amount_cents: 500_000,
        promise_date: '2026-07-20',
        note: 'Pagará en sucursal',
        promise_outcome: {
          source: 'phone',
          status: 'pending',
          created_on: '2026-07-15',
          due_on: '2026-07-23',
          amount_cents: 500_000,
          paid_cents: 200_000,
        },
      },
      {
        kind: 'visit',
        id: VISIT_ID,
        at: 1_784_138_760_000,
        channel: 'visit',
        user_id: 'u-1',
        user_name: 'Beto Ramírez',
        result_code: 'NOT_HOME',
        result_label_es: 'No estaba',
        result_label_en: 'Not home',
        verdict: 'verified',
        person_met: null,
        person_name: null,
        promise_amount_cents: null,
        promise_date: null,
        note: null,
        promise_outcome: null,
      },
    ],
    ...overrides,
  };
}

const CODES = [
  { code: 'PTP', class: 'success', label_es: 'Promesa de pago', label_en: 'Promise to pay', active: true },
  { code: 'NO_ANSWER', class: 'fail', label_es: 'No contestó', label_en: 'No answer', active: true },
];

async function typeInto(input: Element | null, value: string): Promise<void> {
  if (input === null) throw new Error('Input not found');
  await act(async () => {
    (input as HTMLInputElement).value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function labelled(container: HTMLElement, text: string): HTMLInputElement | HTMLSelectElement | null {
  const label = [...container.querySelectorAll('label')].find((node) => node.textContent?.startsWith(text));
  return label?.querySelector('input, select, textarea') ?? null;
}

afterEach(() => {
  document.body.innerHTML = '';
  fakeMap.onClick = null;
  fakeMap.markers = [];
});

describe('AccountPage', () => {
  it('shows the header, persons, addresses and history', async () => {
    const { api } = stubApi({
      [`GET /api/accounts/${ACCOUNT_ID}`]: () => jsonResponse(200, account()),
      'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }),
    });
    const page = mount(<AccountPage api={api} role="supervisor" accountId={ACCOUNT_ID} />);
    await settle();

    expect(page.querySelector('h2')?.textContent).toBe('Cuenta FV-1 · Ana Titular');
    expect(document.activeElement?.id).toBe('account-title');
    expect(page.textContent).toContain('Financiera del Valle');
    expect(page.textContent).toContain('Beto Ramírez');
    expect(page.textContent).toContain('sucursal');
    expect(page.textContent).toContain('ana@correo.mx');
    expect(page.textContent).toContain('Orizaba y Córdoba');
    expect(page.textContent).toContain('DURANGO 100 INT 4B ROMA NTE');
    expect(page.textContent).toContain('Falta fijar la ubicación');

    const rows = page.querySelectorAll('.account__history tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.getAttribute('data-kind')).toBe('contact_attempt');
    expect(rows[0]!.textContent).toContain('Llamada');
    expect(rows[0]!.textContent).toContain('Pagará en sucursal');
    const outcome = rows[0]!.querySelector('.account__promise');
    expect(outcome?.getAttribute('data-status')).toBe('pending');
    expect(outcome?.textContent).toContain('Pendiente');
    expect(outcome?.textContent).toContain('vence 2026-07-23');
    expect(outcome?.getAttribute('title')).toBe('Medio de la promesa: Llamada');
    expect(rows[1]!.querySelector('.account__promise')).toBeNull();
    const visitLink = rows[1]!.querySelector('a');
    expect(visitLink?.getAttribute('href')).toBe(`#/visits/${VISIT_ID}`);
    expect(rows[1]!.textContent).toContain('Verificada');
  });

  it('shows kept and broken promises with their channel', async () => {
    const [call, visit] = account().history;
    const history = [
      { ...call!, channel: 'whatsapp' as const, promise_outcome: { ...call!.promise_outcome!, source: 'whatsapp' as const, status: 'kept' as const, paid_cents: 500_000 } },
      {
        ...visit!,
        promise_amount_cents: 150_050,
        promise_date: '2026-07-20',
        promise_outcome: { source: 'visit' as const, status: 'broken' as const, created_on: '2026-07-15', due_on: '2026-07-23', amount_cents: 150_050, paid_cents: 0 },
      },
    ];
    const { api } = stubApi({
      [`GET /api/accounts/${ACCOUNT_ID}`]: () => jsonResponse(200, account({ history })),
      'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }),
    });
    const page = mount(<AccountPage api={api} role="supervisor" accountId={ACCOUNT_ID} />);
    await settle();

    const outcomes = page.querySelectorAll('.account__history .account__promise');
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]!.getAttribute('data-status')).toBe('kept');
    expect(outcomes[0]!.textContent).toContain('Cumplida');
    expect(outcomes[0]!.getAttribute('title')).toBe('Medio de la promesa: WhatsApp');
    expect(outcomes[1]!.getAttribute('data-status')).toBe('broken');
    expect(outcomes[1]!.textContent).toContain('Incumplida');
    expect(outcomes[1]!.getAttribute('title')).toBe('Medio de la promesa: Visita');
  });

  it('records a phone contact and reads the account again', async () => {
    let reads = 0;
    const { api, requests } = stubApi({
      [`GET /api/accounts/${ACCOUNT_ID}`]: () => {
        reads += 1;
        return jsonResponse(200, account());
      },
      'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }),
      [`POST /api/accounts/${ACCOUNT_ID}/contact-attempts`]: () => jsonResponse(201, account().history[0]),
    });
    const page = mount(<AccountPage api={api} role="supervisor" accountId={ACCOUNT_ID} />);
    await settle();

    await selectOption(labelled(page, 'Resultado') as HTMLSelectElement, 'PTP');
    await typeInto(labelled(page, 'Monto en pesos'), '1,250.50');
    await typeInto(labelled(page, 'Fecha de pago prometida'), '2026-07-20');
    await click(buttonByText(page, 'Registrar contacto'));

    const post = requests.find((request) => request.method === 'POST');
    expect(post).toBeDefined();
    const body = JSON.parse(String(post!.body));
    expect(body.channel).toBe('phone');
    expect(body.result_code).toBe('PTP');
    expect(body.person_id).toBe(DEBTOR_ID);
    expect(body.person_met).toBeNull();
    expect(body.promise_amount_cents).toBe(125_050);
    expect(body.promise_date).toBe('2026-07-20');
    expect(typeof body.occurred_at).toBe('number');
    expect(reads).toBe(2);
    expect(page.textContent).toContain('Contacto registrado.');
  });

  it('shows the server error naming the problem', async () => {
    const { api } = stubApi({
      [`GET /api/accounts/${ACCOUNT_ID}`]: () => jsonResponse(200, account()),
      'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }),
      [`POST /api/accounts/${ACCOUNT_ID}/contact-attempts`]: () =>
        jsonResponse(422, {
          code: 'invalid_input',
          field: 'person_met',
          message: 'No se puede registrar una promesa con un tercero o una referencia.',
        }),
    });
    const page = mount(<AccountPage api={api} role="admin" accountId={ACCOUNT_ID} />);
    await settle();
    await selectOption(labelled(page, 'Resultado') as HTMLSelectElement, 'PTP');
    await selectOption(labelled(page, 'Con quién se habló') as HTMLSelectElement, 'third_party');
    await click(buttonByText(page, 'Registrar contacto'));

    const alert = page.querySelector('.account__contact-form [role="alert"]');
    expect(alert?.textContent).toContain('tercero');
    expect(labelled(page, 'Con quién se habló')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('hides the form and the pin from viewers', async () => {
    const { api, requests } = stubApi({
      [`GET /api/accounts/${ACCOUNT_ID}`]: () => jsonResponse(200, account({ history: [] })),
    });
    const page = mount(<AccountPage api={api} role="viewer" accountId={ACCOUNT_ID} />);
    await settle();

    expect(page.querySelector('.account__contact-form')).toBeNull();
    expect(buttonByText(page, 'Fijar ubicación')).toBeNull();
    expect(page.textContent).toContain('Aún no hay visitas ni contactos');
    expect(requests.some((request) => request.url.includes('result-codes'))).toBe(false);
  });

  it('pins an address from a map click', async () => {
    const { api, requests } = stubApi({
      [`GET /api/accounts/${ACCOUNT_ID}`]: () => jsonResponse(200, account()),
      'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }),
      [`PUT /api/accounts/${ACCOUNT_ID}/addresses/${ADDRESS_ID}/point`]: () =>
        jsonResponse(200, { ...account().addresses[0], verified_point: { latitude: 19.42, longitude: -99.16 } }),
    });
    const page = mount(<AccountPage api={api} role="supervisor" accountId={ACCOUNT_ID} />);
    await settle();

    await click(buttonByText(page, 'Fijar ubicación'));
    expect(page.textContent).toContain('Haz clic en el mapa para elegir');
    await act(async () => {
      fakeMap.onClick?.({ latlng: { lat: 19.42, lng: -99.16 } });
    });
    await settle();
    expect((labelled(page, 'Latitud') as HTMLInputElement).value).toBe('19.420000');
    expect(fakeMap.markers).toContain('account-picked');
    await click(buttonByText(page, 'Guardar ubicación'));

    const put = requests.find((request) => request.method === 'PUT');
    expect(JSON.parse(String(put!.body))).toEqual({ latitude: 19.42, longitude: -99.16 });
  });

  it('explains a failed load and retries', async () => {
    let calls = 0;
    const { api } = stubApi({
      [`GET /api/accounts/${ACCOUNT_ID}`]: () => {
        calls += 1;
        return calls === 1
          ? jsonResponse(404, { code: 'not_found', field: null, message: 'No existe.' })
          : jsonResponse(200, account());
      },
      'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }),
    });
    const page = mount(<AccountPage api={api} role="supervisor" accountId={ACCOUNT_ID} />);
    await settle();
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('No se pudo cargar la cuenta');
    await click(buttonByText(page, 'Reintentar'));
    expect(page.querySelector('h2')?.textContent).toBe('Cuenta FV-1 · Ana Titular');
  });
});

describe('account page helpers', () => {
  it('reads the account id from the hash', () => {
    expect(accountIdFromHash(`#/accounts/${ACCOUNT_ID}`)).toBe(ACCOUNT_ID);
    expect(accountIdFromHash('#/accounts')).toBeNull();
    expect(accountIdFromHash('#/visits/abc')).toBeNull();
  });

  it('reads pesos as cents', () => {
    expect(pesosToCents('1,250.50')).toBe(125_050);
    expect(pesosToCents('$300')).toBe(30_000);
    expect(pesosToCents('12.345')).toBeNull();
    expect(pesosToCents('doce')).toBeNull();
  });

  it('joins the Mexican address fields', () => {
    expect(addressLine(account().addresses[0]!)).toBe(
      'Durango 100, int. 4B, col. Roma Norte, C.P. 06700, Cuauhtémoc, Ciudad de México',
    );
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import type { VisitDetail } from './api';
import { VisitPage } from './VisitPage';

/** Layers the fake Leaflet added to a map, by class name. */
const layers: { kind: string; className: string; lat: number; lng: number; radius: number | undefined }[] = [];

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
  const layer =
    (kind: string) =>
    (at: { lat: number; lng: number }, options: { className?: string; radius?: number } = {}) => {
      const chain = {
        bindTooltip: () => chain,
        addTo: () => {
          layers.push({ kind, className: options.className ?? '', lat: at.lat, lng: at.lng, radius: options.radius });
          return chain;
        },
      };
      return chain;
    };
  const L = {
    latLng: (lat: number, lng: number) => ({ lat, lng }),
    latLngBounds: bounds,
    polyline: (points: { lat: number; lng: number }[], options: { className?: string }) => ({
      addTo: () => {
        layers.push({ kind: 'polyline', className: options.className ?? '', lat: points.length, lng: 0, radius: undefined });
      },
    }),
    circle: layer('circle'),
    circleMarker: layer('circleMarker'),
  };
  return {
    loadLeaflet: async () => L,
    createMap: () => ({ fitBounds() {}, remove() {} }),
    escapeHtml: (text: string) => text,
  };
});

const VISIT_ID = '0193a5f0-0000-7000-8000-000000000002';

function detail(overrides: Partial<VisitDetail> = {}): VisitDetail {
  return {
    id: VISIT_ID,
    agent_id: 'u-beto',
    agent_name: 'Beto Ramírez',
    account_id: 'a-1',
    lender_account_id: 'FV-1',
    lender_id: 'l-1',
    lender_name: 'Financiera del Valle',
    portfolio_id: 'p-1',
    portfolio_name: 'Julio 2026',
    debtor_name: 'Titular FV-1',
    address_text: 'Durango 100, Roma Norte',
    started_at: 1_784_138_400_000,
    finished_at: 1_784_138_760_000,
    received_at: 1_784_138_770_000,
    status: 'complete',
    result_code: 'PTP',
    result_label_es: 'Promesa de pago',
    result_label_en: 'Promise to pay',
    verdict: 'doubtful',
    exception: 'pin_correction',
    pin_state: 'pending',
    assigned_to_agent: true,
    completed_at: 1_784_138_770_000,
    account: {
      id: 'a-1',
      lender_account_id: 'FV-1',
      lender_name: 'Financiera del Valle',
      portfolio_name: 'Julio 2026',
      product: null,
      overdue_cents: 1_250_000,
      days_past_due: 95,
      debtor_name: 'Titular FV-1',
    },
    address: {
      id: 'ad-1',
      text: 'Durango 100, Roma Norte',
      colonia: 'Roma Norte',
      postal_code: '06700',
      municipality: 'Cuauhtémoc',
      state: 'Ciudad de México',
      time_zone: 'America/Mexico_City',
      point: { latitude: 19.4194, longitude: -99.1617 },
      point_source: 'file',
      point_confidence: 1,
      verified_point: null,
    },
    form: {
      version_id: 'fv-1',
      form_id: 'visita_cobranza',
      version: '1',
      title_es: 'Visita de cobranza',
      title_en: 'Collection visit',
      questions: [
        {
          name: 'person_met',
          type: 'select_one',
          label_es: '¿Con quién habló?',
          label_en: 'Who did you speak with?',
          choices: [{ name: 'debtor', label_es: 'Titular', label_en: 'Debtor' }],
        },
        { name: 'facade', type: 'image', label_es: 'Foto de la fachada', label_en: null, choices: [] },
      ],
    },
    answers: { person_met: 'debtor', facade: 'ab'.repeat(32) },
    person_met: 'debtor',
    promise_amount_cents: 150_050,
    promise_date: '2026-07-20',
    promise_channel: 'transfer',
    attachments: [
      {
        sha256: 'ab'.repeat(32),
        kind: 'photo',
        content_type: 'image/jpeg',
        size_bytes: 10,
        question: 'facade',
        received: true,
      },
    ],
    check_in: {
      latitude: 19.4203,
      longitude: -99.1617,
      accuracy_m: 12,
      fix_time: 1_784_138_400_000,
      mock: false,
      device_time: 1_784_138_400_000,
      server_offset_ms: 0,
      on_device_decision: 'accepted',
      on_device_reasons: [],
    },
    verdict_reasons: [{ code: 'exception_declared', severity: 'doubtful', exception: 'pin_correction' }],
    pin_correction: {
      latitude: 19.4203,
      longitude: -99.1617,
      state: 'pending',
      note: null,
      decided_by_kind: null,
      decided_by_id: null,
      decided_at: null,
    },
    events: [],
    audit: [],
    track: [
      { fix_time: 1_784_138_100_000, latitude: 19.41, longitude: -99.16, accuracy_m: 10, flag_reason: null },
      { fix_time: 1_784_138_300_000, latitude: 19.42, longitude: -99.16, accuracy_m: 10, flag_reason: null },
    ],
    ...overrides,
  };
}

afterEach(() => {
  document.body.innerHTML = '';
  layers.length = 0;
});

describe('VisitPage', () => {
  it('shows answers, the verdict in Spanish, photos and the map', async () => {
    const { api } = stubApi({ [`GET /api/visits/${VISIT_ID}`]: () => jsonResponse(200, detail()) });
    const container = mount(<VisitPage api={api} role="viewer" visitId={VISIT_ID} />);
    await settle();

    const answers = [...container.querySelectorAll('.visit__answers tr')].map((row) => row.textContent);
    expect(answers[0]).toBe('¿Con quién habló?Titular');
    expect(answers[1]).toContain('Foto de la fachada');
    expect(container.querySelector('.visit__reasons')?.textContent).toBe(
      'El gestor declaró que la ubicación del domicilio está mal; un supervisor debe revisarlo.',
    );
    const photo = container.querySelector<HTMLImageElement>('.visit__gallery img');
    expect(photo?.getAttribute('src')).toBe(`/api/visits/${VISIT_ID}/attachments/${'ab'.repeat(32)}`);
    expect(container.textContent).toContain('La visita no trae firma.');

    const classes = layers.map((layer) => layer.className);
    expect(classes).toContain('visit-address');
    expect(classes).toContain('visit-proposed');
    expect(classes).toContain('visit-checkin');
    expect(classes).not.toContain('visit-verified');
    const accuracy = layers.find((layer) => layer.className === 'visit-accuracy');
    expect(accuracy?.radius).toBe(12);
    expect(layers.find((layer) => layer.className === 'visit-track')?.lat).toBe(2);
  });

  it('hides the decision buttons from viewers', async () => {
    const { api } = stubApi({ [`GET /api/visits/${VISIT_ID}`]: () => jsonResponse(200, detail()) });
    const container = mount(<VisitPage api={api} role="viewer" visitId={VISIT_ID} />);
    await settle();

    expect(container.textContent).toContain('Pendiente de revisión');
    expect(buttonByText(container, 'Aprobar ubicación')).toBeNull();
    expect(buttonByText(container, 'Rechazar ubicación')).toBeNull();
  });

  it('approves a pin and reads the visit again', async () => {
    let decided = false;
    const approved = {
      ...detail().pin_correction!,
      state: 'approved' as const,
      decided_by_kind: 'user',
      decided_by_id: 'u-ana',
      decided_at: 1_784_139_000_000,
    };
    const { api, requests } = stubApi({
      [`GET /api/visits/${VISIT_ID}`]: () =>
        jsonResponse(
          200,
          decided
            ? detail({
                pin_state: 'approved',
                pin_correction: approved,
                address: { ...detail().address, verified_point: { latitude: 19.4203, longitude: -99.1617 } },
              })
            : detail(),
        ),
      [`POST /api/visits/${VISIT_ID}/pin-correction`]: () => {
        decided = true;
        return jsonResponse(200, { pin_correction: approved, verified_point: { latitude: 19.4203, longitude: -99.1617 } });
      },
    });
    const container = mount(<VisitPage api={api} role="supervisor" visitId={VISIT_ID} />);
    await settle();

    await click(buttonByText(container, 'Aprobar ubicación'));

    const post = requests.find((request) => request.method === 'POST');
    expect(JSON.parse(String(post?.body))).toEqual({ decision: 'approve', note: null });
    expect(container.textContent).toContain('Aprobada: es la ubicación verificada del domicilio');
    expect(buttonByText(container, 'Aprobar ubicación')).toBeNull();
    expect(layers.map((layer) => layer.className)).toContain('visit-verified');
  });

  it('shows the server error of a rejected decision', async () => {
    const { api } = stubApi({
      [`GET /api/visits/${VISIT_ID}`]: () => jsonResponse(200, detail()),
      [`POST /api/visits/${VISIT_ID}/pin-correction`]: () =>
        jsonResponse(409, {
          code: 'pin_correction_decided',
          message: 'Alguien ya decidió sobre esta ubicación corregida. Recarga la visita para ver la decisión.',
          field: 'decision',
        }),
    });
    const container = mount(<VisitPage api={api} role="admin" visitId={VISIT_ID} />);
    await settle();

    await click(buttonByText(container, 'Rechazar ubicación'));

    expect(container.querySelector('[role="alert"]')?.textContent).toContain('Alguien ya decidió');
  });

  it('explains a visit that cannot be read', async () => {
    const { api } = stubApi({
      [`GET /api/visits/${VISIT_ID}`]: () =>
        jsonResponse(404, { code: 'not_found', message: 'No se encontró lo que buscas.', field: null }),
    });
    const container = mount(<VisitPage api={api} role="admin" visitId={VISIT_ID} />);
    await settle();

    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('No se pudo cargar la visita.');
    expect(buttonByText(container, 'Reintentar')).not.toBeNull();
    expect(container.querySelector('a[href="#/visits"]')).not.toBeNull();
  });
});

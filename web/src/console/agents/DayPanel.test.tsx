import { afterEach, describe, expect, it, vi } from 'vitest';
import { translate, type MessageKey } from '../../shared/i18n';
import type { User } from '../../shared/types';
import { jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import type { AgentDay, DayVisit } from './api';
import { DayPanel } from './DayPanel';
import { isoDate, verdictText, visitAccount, visitLabel } from './dayFormat';

/** What the fake Leaflet drew: one entry per marker, with its class and tooltip. */
const drawn: { kind: string; className: string; latitude: number; longitude: number; tooltip: string }[] = [];

vi.mock('../../shared/map/leaflet', () => {
  const bounds = () => {
    let valid = false;
    return {
      extend() {
        valid = true;
      },
      isValid: () => valid,
    };
  };
  const layer =
    (kind: string) =>
    (at: { lat: number; lng: number }, options: { className?: string } = {}) => {
      const entry = { kind, className: options.className ?? '', latitude: at.lat, longitude: at.lng, tooltip: '' };
      const chain = {
        bindTooltip(text: string) {
          entry.tooltip = text;
          return chain;
        },
        addTo() {
          drawn.push(entry);
          return chain;
        },
      };
      return chain;
    };
  const L = {
    latLng: (lat: number, lng: number) => ({ lat, lng }),
    latLngBounds: bounds,
    polyline: () => ({ addTo: () => undefined }),
    circleMarker: layer('circleMarker'),
    circle: layer('circle'),
  };
  return {
    loadLeaflet: () => Promise.resolve(L),
    createMap: () => ({ fitBounds: () => undefined, remove: () => undefined }),
    escapeHtml: (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
  };
});

const es = (key: MessageKey, params?: Record<string, string | number>) => translate('es', key, params);

const AGENT: User = { id: 'u-beto', email: 'beto@example.mx', name: 'Beto Ramírez', role: 'agent', active: true };

// 12:00 and 12:06 on 2026-12-04 in Mexico City.
const NOON = Date.UTC(2026, 11, 4, 18, 0);
const MINUTE = 60_000;

const VISIT: DayVisit = {
  visit_id: 'v-1',
  started_at: NOON,
  finished_at: NOON + 6 * MINUTE,
  account_id: 'a-1',
  lender_account_id: 'FV-1',
  lender_name: 'Financiera del Valle',
  debtor_name: 'Titular FV-1',
  result_code: 'PTP',
  verdict: 'verified',
  status: 'complete',
  checkin_latitude: 19.4194,
  checkin_longitude: -99.1617,
  checkin_accuracy_m: 12,
};

const DOUBTFUL: DayVisit = {
  ...VISIT,
  visit_id: 'v-2',
  started_at: NOON + 30 * MINUTE,
  finished_at: NOON + 40 * MINUTE,
  lender_account_id: 'FV-2',
  debtor_name: null,
  result_code: null,
  verdict: 'doubtful',
  status: 'waiting_for_attachments',
  checkin_latitude: 19.4266,
};

function day(visits: DayVisit[]): AgentDay {
  return {
    agent_id: 'u-beto',
    day: isoDate(new Date()),
    time_zone: 'America/Mexico_City',
    distance_m: 1200,
    stops: [],
    accepted_count: 0,
    flagged_count: 0,
    track: [],
    unlocated: [],
    from_summary: false,
    visits,
  };
}

async function showDay(body: AgentDay): Promise<HTMLElement> {
  const { api } = stubApi({
    [`GET /api/tracking/agents/u-beto/days/${isoDate(new Date())}`]: () => jsonResponse(200, body),
  });
  const container = mount(<DayPanel api={api} agent={AGENT} />);
  await settle();
  return container;
}

describe('visits in the day replay', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    drawn.length = 0;
  });

  it('lists each visit with time, account, result, verdict and check-in point', async () => {
    const container = await showDay(day([VISIT, DOUBTFUL]));

    const table = [...container.querySelectorAll('table')].find(
      (candidate) => candidate.querySelector('caption')?.textContent === 'Visitas del día',
    );
    expect(table).toBeDefined();
    const rows = [...(table?.querySelectorAll('tbody tr') ?? [])].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim()),
    );
    expect(rows).toEqual([
      ['12:00', '12:06', 'FV-1 · Titular FV-1 · Financiera del Valle', 'PTP', 'Verificada', '19.41940, -99.16170 (±12 m)'],
      [
        '12:30',
        '12:40',
        'FV-2 · Financiera del Valle',
        'Sin resultado',
        'Dudosa · Faltan fotos o firmas',
        '19.42660, -99.16170 (±12 m)',
      ],
    ]);
    expect(container.querySelector('.day-summary')?.textContent).toContain('Visitas2');
  });

  it('marks each check-in point on the map with its label', async () => {
    await showDay(day([VISIT, DOUBTFUL]));

    const visits = drawn.filter((entry) => entry.className.startsWith('day-visit'));
    expect(visits).toEqual([
      {
        kind: 'circleMarker',
        className: 'day-visit day-visit--verified',
        latitude: 19.4194,
        longitude: -99.1617,
        tooltip: '12:06 · FV-1 · PTP · Verificada',
      },
      {
        kind: 'circleMarker',
        className: 'day-visit day-visit--doubtful',
        latitude: 19.4266,
        longitude: -99.1617,
        tooltip: '12:40 · FV-2 · Sin resultado · Dudosa',
      },
    ]);
  });

  it('shows a day with only visits instead of the empty state', async () => {
    const container = await showDay(day([VISIT]));

    expect(container.textContent).not.toContain('Sin ubicaciones en esta fecha');
    expect(container.textContent).toContain('Visitas del día');
  });

  it('lists flagged points without coordinates', async () => {
    const container = await showDay({
      ...day([]),
      flagged_count: 2,
      track: [
        { fix_time: NOON + 5 * MINUTE, latitude: 19.4194, longitude: -99.1617, accuracy_m: 9, flag_reason: 'mock_location' },
        { fix_time: NOON + 6 * MINUTE, latitude: 19.4195, longitude: -99.1617, accuracy_m: 9, flag_reason: null },
      ],
      unlocated: [{ fix_time: NOON, flag_reason: 'missing_location' }],
    });

    const table = [...container.querySelectorAll('table')].find(
      (candidate) => candidate.querySelector('caption')?.textContent === es('agents.flaggedTable'),
    );
    const rows = [...(table?.querySelectorAll('tbody tr') ?? [])].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim()),
    );
    expect(rows).toEqual([
      ['12:00', es('agents.flag.missing_location'), 'Sin coordenadas válidas'],
      ['12:05', es('agents.flag.mock_location'), '19.41940, -99.16170'],
    ]);
  });

  it('keeps the empty state for a day without points or visits', async () => {
    const container = await showDay(day([]));

    expect(container.textContent).toContain('Sin ubicaciones en esta fecha');
    expect(drawn).toEqual([]);
  });
});

describe('visit formatting', () => {
  it('names the verdicts and shows unknown ones with their code', () => {
    expect(verdictText('verified', es)).toBe('Verificada');
    expect(verdictText('rejected', es)).toBe('Rechazada');
    expect(verdictText('pending', es)).toBe('Otra validación (pending)');
  });

  it('labels a visit with its account and result', () => {
    expect(visitAccount(DOUBTFUL)).toBe('FV-2');
    expect(visitLabel(VISIT, 'America/Mexico_City', es)).toBe('12:06 · FV-1 · PTP · Verificada');
    expect(visitLabel(VISIT, 'America/Mexico_City', (key, params) => translate('en', key, params))).toBe(
      '12:06 · FV-1 · PTP · Verified',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../shared/i18n';
import { applyPosition, parsePositionEvent } from './liveFeed';
import { agentState, formatBattery, formatSeenAgo, formatSpeed, stateLabelKey, type LiveAgent } from './liveState';

const es = (key: MessageKey, params?: Record<string, string | number>) => translate('es', key, params);
const en = (key: MessageKey, params?: Record<string, string | number>) => translate('en', key, params);

const NOW = Date.UTC(2026, 11, 4, 18, 0, 0);
const MINUTE = 60_000;

function reading(minutesAgo: number, battery: number | null, charging: boolean | null = null) {
  return { fix_time: NOW - minutesAgo * MINUTE, battery_pct: battery, charging };
}

describe('agentState', () => {
  it('is active for a fresh fix', () => {
    expect(agentState(reading(0, 80), NOW)).toBe('active');
    expect(agentState(reading(4.9, 80), NOW)).toBe('active');
  });

  it('is stale from five minutes', () => {
    expect(agentState(reading(5, 80), NOW)).toBe('stale');
    expect(agentState(reading(29, null), NOW)).toBe('stale');
  });

  it('is offline from thirty minutes', () => {
    expect(agentState(reading(30, 80), NOW)).toBe('offline');
  });

  it('offline wins over low battery', () => {
    expect(agentState(reading(45, 5), NOW)).toBe('offline');
  });

  it('is low battery below twenty percent', () => {
    expect(agentState(reading(1, 19.5), NOW)).toBe('low_battery');
    expect(agentState(reading(10, 10), NOW)).toBe('low_battery');
    expect(agentState(reading(1, 20), NOW)).toBe('active');
  });

  it('ignores low battery while charging', () => {
    expect(agentState(reading(1, 5, true), NOW)).toBe('active');
  });
});

describe('state labels', () => {
  it('names each state in Spanish', () => {
    expect(es(stateLabelKey('active'))).toBe('Activo');
    expect(es(stateLabelKey('stale'))).toBe('Sin señal reciente');
    expect(es(stateLabelKey('offline'))).toBe('Desconectado');
    expect(es(stateLabelKey('low_battery'))).toBe('Batería baja');
  });

  it('names each state in English', () => {
    expect(en(stateLabelKey('low_battery'))).toBe('Low battery');
    expect(en(stateLabelKey('offline'))).toBe('Offline');
  });
});

describe('formatSeenAgo', () => {
  it('says less than a minute for fresh fixes', () => {
    expect(formatSeenAgo(NOW - 30_000, NOW, es)).toBe('visto hace menos de 1 min');
  });

  it('counts whole minutes', () => {
    expect(formatSeenAgo(NOW - 7 * MINUTE - 50_000, NOW, es)).toBe('visto hace 7 min');
  });

  it('switches to hours after sixty minutes', () => {
    expect(formatSeenAgo(NOW - 125 * MINUTE, NOW, es)).toBe('visto hace 2 h 5 min');
    expect(formatSeenAgo(NOW - 125 * MINUTE, NOW, en)).toBe('seen 2 h 5 min ago');
  });

  it('switches to days after a day', () => {
    expect(formatSeenAgo(NOW - 3 * 24 * 60 * MINUTE, NOW, es)).toBe('visto hace 3 d');
  });

  it('treats a fix ahead of the clock as just now', () => {
    expect(formatSeenAgo(NOW + 5 * MINUTE, NOW, es)).toBe('visto hace menos de 1 min');
  });
});

describe('speed and battery', () => {
  it('converts metres per second to km/h', () => {
    expect(formatSpeed(10, es)).toBe('36 km/h');
    expect(formatSpeed(null, es)).toBe('—');
  });

  it('shows battery with charging', () => {
    expect(formatBattery(54.4, false, es)).toBe('54 %');
    expect(formatBattery(15, true, es)).toBe('15 % (cargando)');
    expect(formatBattery(null, null, es)).toBe('—');
  });
});

const AGENT: LiveAgent = {
  agent_id: 'a1',
  agent_name: 'Beto Ramírez',
  state: 'active',
  fix_time: NOW - 2 * MINUTE,
  received_at: NOW - 2 * MINUTE,
  latitude: 19.4,
  longitude: -99.1,
  accuracy_m: 10,
  speed_mps: 1,
  battery_pct: 80,
  charging: false,
};

describe('position events', () => {
  it('parses bare and wrapped payloads', () => {
    const data = { agent_id: 'a1', device_id: 'd1', fix_time: NOW, received_at: NOW, latitude: 19.5, longitude: -99.2 };

    expect(parsePositionEvent(JSON.stringify(data))?.latitude).toBe(19.5);
    expect(parsePositionEvent(JSON.stringify({ kind: 'position', data }))?.longitude).toBe(-99.2);
  });

  it('rejects payloads without coordinates', () => {
    expect(parsePositionEvent('{"agent_id":"a1","fix_time":1}')).toBeNull();
    expect(parsePositionEvent('not json')).toBeNull();
  });

  it('moves a known agent forward only', () => {
    const update = parsePositionEvent(
      JSON.stringify({ agent_id: 'a1', fix_time: NOW, latitude: 19.5, longitude: -99.2, battery_pct: 12 }),
    )!;
    const moved = applyPosition([AGENT], update)!;
    expect(moved[0]!.latitude).toBe(19.5);
    expect(moved[0]!.battery_pct).toBe(12);
    expect(moved[0]!.agent_name).toBe('Beto Ramírez');

    const older = { ...update, fix_time: NOW - 10 * MINUTE, latitude: 1 };
    expect(applyPosition([AGENT], older)![0]!.latitude).toBe(19.4);
  });

  it('returns null for an unknown agent', () => {
    const update = parsePositionEvent(JSON.stringify({ agent_id: 'zz', fix_time: NOW, latitude: 1, longitude: 2 }))!;
    expect(applyPosition([AGENT], update)).toBeNull();
  });
});

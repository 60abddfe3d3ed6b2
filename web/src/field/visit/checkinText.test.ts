import { describe, expect, it } from 'vitest';
import type { DayAddress } from '../../shared/field-api';
import { decideOnDevice } from '../../shared/rules/checkin';
import { checkinRules, targetOf } from './checkinText';

const ADDRESS: DayAddress = {
  id: 'ad1',
  street: 'Av. Tulum',
  exterior_number: '5',
  interior_number: null,
  colonia: 'Centro',
  postal_code: '77500',
  locality: null,
  municipality: 'Benito Juárez',
  state: null,
  between_streets: null,
  landmarks: null,
  original_text: 'Av. Tulum 5, Centro',
  time_zone: null,
  point: { latitude: 21.16, longitude: -86.85, source: 'file', confidence: 1 } as DayAddress['point'],
  verified_point: null,
};

describe('targetOf', () => {
  it('keeps the address zone over the default', () => {
    expect(targetOf({ ...ADDRESS, time_zone: 'America/Tijuana' }, 'America/Cancun').time_zone).toBe('America/Tijuana');
  });

  it('uses the organization default for an address without zone', () => {
    expect(targetOf(ADDRESS, 'America/Cancun').time_zone).toBe('America/Cancun');
    expect(targetOf(ADDRESS).time_zone).toBeNull();
  });

  it('judges contact hours in the default zone', () => {
    // 12:30 UTC is 07:30 in Cancún, inside the window, and 06:30 in Mexico City, outside it.
    const rules = checkinRules({ checkin_rules: {}, contact_rules: { window_start: '07:00', window_end: '22:00' } } as never);
    const checkIn = {
      fix: { latitude: 21.16, longitude: -86.85, accuracy_m: 10, fix_time: Date.parse('2026-12-04T12:30:00Z') },
      device_time: Date.parse('2026-12-04T12:30:00Z'),
      server_offset_ms: 0,
    };
    const inCancun = decideOnDevice(rules, targetOf(ADDRESS, 'America/Cancun'), checkIn as never);
    const assumed = decideOnDevice(rules, targetOf(ADDRESS), checkIn as never);
    expect(inCancun.reasons.map((reason) => reason.code)).not.toContain('outside_contact_window');
    expect(assumed.reasons.map((reason) => reason.code)).toContain('outside_contact_window');
  });
});

import { describe, expect, it } from 'vitest';
import { translate, type MessageKey } from '../../shared/i18n';
import { FLAG_REASONS, flagReasonText, formatClock, formatDuration, formatKm, isoDate } from './dayFormat';

const es = (key: MessageKey, params?: Record<string, string | number>) => translate('es', key, params);

describe('day formatting', () => {
  it('names every flag reason in Spanish', () => {
    for (const reason of FLAG_REASONS) {
      expect(flagReasonText(reason, es)).not.toMatch(/Otro motivo/);
    }
    expect(flagReasonText('not_clocked_in', es)).toBe('Fuera de jornada');
    expect(flagReasonText('impossible_speed', es)).toBe('Velocidad imposible');
  });

  it('shows unknown reasons with their code', () => {
    expect(flagReasonText('teleport', es)).toBe('Otro motivo (teleport)');
  });

  it('formats durations', () => {
    expect(formatDuration(45 * 60_000, es)).toBe('45 min');
    expect(formatDuration(65 * 60_000, es)).toBe('1 h 05 min');
  });

  it('formats kilometres with one decimal', () => {
    expect(formatKm(12_345, 'es')).toBe('12.3');
    expect(formatKm(0, 'en')).toBe('0.0');
  });

  it('formats clock times in the zone', () => {
    // 18:30 UTC is 12:30 in Mexico City, which has no daylight saving time since 2022.
    expect(formatClock(Date.UTC(2026, 11, 4, 18, 30), 'America/Mexico_City')).toBe('12:30');
  });

  it('formats dates as YYYY-MM-DD', () => {
    expect(isoDate(new Date(Date.UTC(2026, 0, 5, 3, 0)), 'UTC')).toBe('2026-01-05');
    expect(isoDate(new Date(Date.UTC(2026, 0, 5, 3, 0)), 'America/Mexico_City')).toBe('2026-01-04');
  });
});

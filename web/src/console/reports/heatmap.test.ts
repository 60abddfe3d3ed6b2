import { describe, expect, it } from 'vitest';
import type { HourCell } from './api';
import { exportUrl, reportQuery } from './api';
import { heatmapPoints, hourRange, maxValue, percent, rankHours } from './heatmap';

function cell(weekday: number, hour: number, attempts: number, rightParty: number, successes: number): HourCell {
  return {
    weekday,
    hour,
    attempts,
    right_party: rightParty,
    successes,
    contact_rate: rightParty / attempts,
    success_rate: successes / attempts,
    promises: successes,
    promised_cents: successes * 100_000,
  };
}

describe('contact hours heatmap', () => {
  const cells = [cell(3, 17, 10, 6, 4), cell(1, 9, 4, 1, 0), cell(5, 12, 2, 2, 2), cell(7, 23, 1, 0, 0)];

  it('places Monday on row 0 and keeps hours as columns', () => {
    expect(heatmapPoints(cells, 'attempts')).toEqual([
      [17, 2, 10],
      [9, 0, 4],
      [12, 4, 2],
      [23, 6, 1],
    ]);
  });

  it('drops cells outside the grid or without attempts', () => {
    expect(heatmapPoints([cell(0, 10, 1, 0, 0), cell(8, 10, 1, 0, 0), { ...cell(2, 24, 1, 0, 0) }], 'attempts')).toEqual([]);
  });

  it('ranks rates only where there are enough attempts, then lists the rest', () => {
    const ranked = rankHours(cells, 'success_rate');
    expect(ranked.map((c) => `${c.weekday}-${c.hour}`)).toEqual(['3-17', '1-9', '5-12', '7-23']);
    expect(rankHours(cells, 'attempts').map((c) => c.attempts)).toEqual([10, 4, 2, 1]);
  });

  it('keeps a floor for the colour scale', () => {
    expect(maxValue([], 'attempts')).toBe(1);
    expect(maxValue([], 'contact_rate')).toBe(0.01);
    expect(maxValue(cells, 'contact_rate')).toBe(1);
  });

  it('formats rates and hour ranges', () => {
    expect(percent(0.456)).toBe('46 %');
    expect(hourRange(9)).toBe('09:00–10:00');
    expect(hourRange(23)).toBe('23:00–00:00');
  });

  it('builds download addresses with the filters', () => {
    const none = { from: '', to: '', lenderId: '', portfolioId: '', agentId: '' };
    expect(exportUrl(none, 'csv')).toBe('/api/reports/contact-hours/export?format=csv');
    expect(exportUrl({ ...none, agentId: 'u-1' }, 'xlsx')).toBe('/api/reports/contact-hours/export?agent_id=u-1&format=xlsx');
  });

  it('sends only the filters that are set', () => {
    expect(reportQuery({ from: '', to: '', lenderId: '', portfolioId: '', agentId: '' })).toBe('');
    expect(reportQuery({ from: '2026-07-01', to: ' 2026-07-31 ', lenderId: 'l-1', portfolioId: '', agentId: '' })).toBe(
      '?from=2026-07-01&to=2026-07-31&lender_id=l-1',
    );
    expect(reportQuery({ from: '', to: '', lenderId: '', portfolioId: '', agentId: '', channel: 'phone' })).toBe(
      '?channel=phone',
    );
  });
});

// Shapes the contact-hours cells for the heatmap and its table: a 7 × 24 grid
// of one measure, and the best hours ranked.

import type { HourCell } from './api';

export type Measure = 'attempts' | 'contact_rate' | 'success_rate';
export const MEASURES: readonly Measure[] = ['success_rate', 'contact_rate', 'attempts'];

/** Reads one measure of a cell. */
export function measureOf(cell: HourCell, measure: Measure): number {
  return cell[measure];
}

/**
 * Returns `[hour, weekdayIndex, value]` triples for every cell with attempts,
 * where weekdayIndex 0 is Monday. Empty hours stay out, so the chart leaves
 * them blank rather than showing a misleading zero rate.
 */
export function heatmapPoints(cells: readonly HourCell[], measure: Measure): [number, number, number][] {
  return cells
    .filter((cell) => cell.attempts > 0 && cell.weekday >= 1 && cell.weekday <= 7 && cell.hour >= 0 && cell.hour <= 23)
    .map((cell) => [cell.hour, cell.weekday - 1, measureOf(cell, measure)]);
}

/** Returns the largest value of the measure, at least 1 for counts and 0.01 for rates. */
export function maxValue(cells: readonly HourCell[], measure: Measure): number {
  const floor = measure === 'attempts' ? 1 : 0.01;
  return cells.reduce((max, cell) => Math.max(max, measureOf(cell, measure)), floor);
}

/** Attempts an hour needs before its rates are ranked: one lucky visit is not a pattern. */
export const MIN_ATTEMPTS_FOR_RATES = 3;

/** Returns whether `cell` has enough attempts to be ranked by `measure`. */
export function rankable(cell: HourCell, measure: Measure): boolean {
  return cell.attempts >= (measure === 'attempts' ? 1 : MIN_ATTEMPTS_FOR_RATES);
}

/**
 * Orders hours by the measure, highest first. Hours with too few attempts for
 * a rate follow the ranked ones, by attempts, so the table still lists every
 * hour the chart shows.
 */
export function rankHours(cells: readonly HourCell[], measure: Measure): HourCell[] {
  const byPlace = (a: HourCell, b: HourCell) => a.weekday - b.weekday || a.hour - b.hour;
  const ranked = cells
    .filter((cell) => rankable(cell, measure))
    .sort((a, b) => measureOf(b, measure) - measureOf(a, measure) || b.attempts - a.attempts || byPlace(a, b));
  const rest = cells
    .filter((cell) => cell.attempts > 0 && !rankable(cell, measure))
    .sort((a, b) => b.attempts - a.attempts || byPlace(a, b));
  return [...ranked, ...rest];
}

/** Formats a rate 0–1 as a whole percentage. */
export function percent(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}

/** Formats an hour as a one-hour range, such as "17:00–18:00". */
export function hourRange(hour: number): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
}

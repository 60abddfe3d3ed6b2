// Text for an agent's day: why points were flagged, how long stops lasted,
// distances, visits, and today's date in the organization's zone.

import type { MessageKey } from '../../shared/i18n';
import type { DayVisit } from './api';

/** Flag reasons the server stores; anything else shows as its code. */
export const FLAG_REASONS = [
  'missing_location',
  'invalid_coordinates',
  'zero_coordinates',
  'mock_location',
  'future_time',
  'duplicate',
  'poor_accuracy',
  'impossible_speed',
  'not_clocked_in',
] as const;

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function flagReasonText(reason: string, t: Translate): string {
  const known = (FLAG_REASONS as readonly string[]).includes(reason);
  return known ? t(`agents.flag.${reason as (typeof FLAG_REASONS)[number]}`) : t('agents.flag.other', { code: reason });
}

/** Formats a duration in ms as "45 min" or "1 h 05 min". */
export function formatDuration(ms: number, t: Translate): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) {
    return t('agents.durationMinutes', { minutes });
  }
  return t('agents.durationHours', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') });
}

/** Formats metres as kilometres with one decimal, in the UI language's number format. */
export function formatKm(metres: number, language: 'es' | 'en'): string {
  const km = Math.max(0, metres) / 1000;
  return new Intl.NumberFormat(language === 'es' ? 'es-MX' : 'en', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(km);
}

/** Formats Unix ms as a 24-hour clock time in `timeZone`. */
export function formatClock(ms: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('es-MX', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(ms);
  } catch {
    // An unknown zone falls back to the browser's.
    return new Intl.DateTimeFormat('es-MX', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
  }
}

/** Returns the date at `now` in `timeZone` as YYYY-MM-DD. */
export function isoDate(now: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone === undefined ? {} : { timeZone }),
  }).formatToParts(now);
  const value = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${value('year')}-${value('month')}-${value('day')}`;
}

/** Verdicts the server gives a visit; anything else shows as its code. */
export const VERDICTS = ['verified', 'doubtful', 'rejected'] as const;

export function verdictText(verdict: string, t: Translate): string {
  const known = (VERDICTS as readonly string[]).includes(verdict);
  return known
    ? t(`agents.verdict.${verdict as (typeof VERDICTS)[number]}`)
    : t('agents.verdict.other', { code: verdict });
}

/** Formats a visit's account as the lender numbers it, with the debtor's name when known. */
export function visitAccount(visit: DayVisit): string {
  return visit.debtor_name === null ? visit.lender_account_id : `${visit.lender_account_id} · ${visit.debtor_name}`;
}

/** Formats one line for a visit on the map: finish time, account, result and verdict. */
export function visitLabel(visit: DayVisit, timeZone: string, t: Translate): string {
  return t('agents.visitLabel', {
    time: formatClock(visit.finished_at, timeZone),
    account: visit.lender_account_id,
    result: visit.result_code ?? t('agents.noResult'),
    verdict: verdictText(visit.verdict, t),
  });
}

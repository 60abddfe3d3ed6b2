// Dates and times in the expression language.
//
// A date or date-time converted to a number is the count of days since
// 1970-01-01T00:00 in the clock's UTC offset, with the time of day as a
// fraction, so "2026-08-07" is 20672 whatever the offset. Date-times that carry
// another offset are first moved to the clock's offset. Values run from year 1
// to year 9999 with millisecond precision.

import { trimXml } from './value.ts';

const MS_PER_DAY = 86_400_000;
/** Days from 1970-01-01 to 0001-01-01. */
const MIN_DAYS = -719_162;
/** Days from 1970-01-01 to 9999-12-31. */
const MAX_DAYS = 2_932_896;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The instant today() and now() report, with the UTC offset dates are read and written in. */
export interface Clock {
  utcMs: number;
  offsetMinutes: number;
}

/**
 * Parses an RFC 3339 date-time with an offset, such as
 * `2026-08-07T10:30:00-06:00`. Returns undefined when the offset is missing.
 */
export function parseClock(text: string): Clock | undefined {
  const parsed = parseDateTime(text);
  if (parsed === undefined || parsed.offsetMinutes === undefined) return undefined;
  return { utcMs: parsed.wallMs - parsed.offsetMinutes * 60_000, offsetMinutes: parsed.offsetMinutes };
}

export function clockLocalMs(clock: Clock): number {
  return clock.utcMs + clock.offsetMinutes * 60_000;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Inverse of daysFromCivil; returns undefined outside years 1 to 9999. */
function civilFromDays(days: number): [number, number, number] | undefined {
  if (days < MIN_DAYS || days > MAX_DAYS) return undefined;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

interface ParsedDateTime {
  /** Milliseconds of wall time since 1970-01-01T00:00 in the text's own offset. */
  wallMs: number;
  offsetMinutes: number | undefined;
}

const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/;

/**
 * Parses `YYYY-MM-DD` optionally followed by `THH:MM[:SS[.fff]]` and `Z` or
 * `±HH:MM`. Fraction digits past milliseconds are ignored.
 */
function parseDateTime(text: string): ParsedDateTime | undefined {
  const match = DATE_TIME.exec(trimXml(text));
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  let wallMs = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (h === undefined) return { wallMs, offsetMinutes: undefined };
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? '0');
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  wallMs += ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  if (offset === undefined) return { wallMs, offsetMinutes: undefined };
  if (offset === 'Z') return { wallMs, offsetMinutes: 0 };
  const offsetHours = Number(offset.slice(1, 3));
  const offsetMins = Number(offset.slice(4, 6));
  if (offsetHours > 23 || offsetMins > 59) return undefined;
  const sign = offset.startsWith('-') ? -1 : 1;
  return { wallMs, offsetMinutes: sign * (offsetHours * 60 + offsetMins) };
}

/** Reads a date or date-time as milliseconds of wall time in the clock's offset. */
export function textToLocalMs(text: string, clockOffset: number): number | undefined {
  const parsed = parseDateTime(text);
  if (parsed === undefined) return undefined;
  const shift = parsed.offsetMinutes === undefined ? 0 : (clockOffset - parsed.offsetMinutes) * 60_000;
  const local = parsed.wallMs + shift;
  return civilFromDays(Math.floor(local / MS_PER_DAY)) === undefined ? undefined : local;
}

/** Reads a date or date-time as days since 1970-01-01 in the clock's offset. */
export function textToDays(text: string, clockOffset: number): number | undefined {
  const ms = textToLocalMs(text, clockOffset);
  return ms === undefined ? undefined : ms / MS_PER_DAY;
}

/** Converts days since 1970-01-01 to milliseconds, rounded to the nearest one. */
export function daysToLocalMs(days: number): number | undefined {
  if (!(days >= MIN_DAYS && days < MAX_DAYS + 1)) return undefined;
  return Math.floor(days * MS_PER_DAY + 0.5);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Formats the date part as `YYYY-MM-DD`. */
export function formatDateOnly(localMs: number): string {
  return formatLocal(localMs, '%Y-%m-%d');
}

/** Formats as `YYYY-MM-DDTHH:MM:SS.mmm±HH:MM`, the form now() returns. */
export function formatDateTime(localMs: number, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(offsetMinutes);
  const time = formatLocal(localMs, '%Y-%m-%dT%H:%M:%S.%3');
  return `${time}${sign}${pad(Math.floor(offset / 60), 2)}:${pad(offset % 60, 2)}`;
}

/**
 * Applies a format-date pattern: `%Y %y %m %n %b %d %e %a %H %h %M %S %3 %%`.
 * Any other `%x` is copied as written. Month and weekday names are English.
 */
export function formatLocal(localMs: number, pattern: string): string {
  const days = Math.floor(localMs / MS_PER_DAY);
  const civil = civilFromDays(days);
  if (civil === undefined) return '';
  const [year, month, day] = civil;
  const msOfDay = localMs - days * MS_PER_DAY;
  const hour = Math.floor(msOfDay / 3_600_000);
  const minute = Math.floor(msOfDay / 60_000) % 60;
  const second = Math.floor(msOfDay / 1000) % 60;
  const millis = msOfDay % 1000;
  const weekday = (((days + 4) % 7) + 7) % 7;

  const pieces: Record<string, string> = {
    Y: pad(year, 4),
    y: pad(year % 100, 2),
    m: pad(month, 2),
    n: String(month),
    b: MONTHS[month - 1] ?? '',
    d: pad(day, 2),
    e: String(day),
    a: WEEKDAYS[weekday] ?? '',
    H: pad(hour, 2),
    h: String(hour),
    M: pad(minute, 2),
    S: pad(second, 2),
    '3': pad(millis, 3),
    '%': '%',
  };
  let out = '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    if (c !== '%') {
      out += c;
      continue;
    }
    const code = chars[i + 1];
    i += 1;
    if (code === undefined) return `${out}%`;
    out += Object.hasOwn(pieces, code) ? (pieces[code] ?? '') : `%${code}`;
  }
  return out;
}

// Contact-hour rules evaluated in the time zone of the person's address. Mirrors
// crates/ronda-domain/src/portfolio/contact.rs; both pass every vector in spec/contact-rules.

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

/** Hours of a day, "HH:MM" from 00:00 to 24:00: `start` inclusive, `end` exclusive. */
export interface Window {
  start: string;
  end: string;
}

export interface WeekdayWindow extends Window {
  days: Weekday[];
}

export interface ContactRule {
  /** Jurisdiction the rule implements, for example "MX" or "CO". */
  jurisdiction: string;
  /** Window for every day of the week while `weekdays` is empty or missing. */
  window: Window;
  /**
   * Per-weekday windows. When not empty, they replace `window`, a day no entry lists allows
   * no contact, and the first entry that lists a day wins.
   */
  weekdays?: WeekdayWindow[];
  /** Local dates ("YYYY-MM-DD") on which no contact is allowed. */
  holidays?: string[];
}

export type RefusalReason = 'before_window' | 'after_window' | 'day_not_allowed' | 'holiday';

/** Wall-clock time at the address. */
export interface LocalTime {
  /** "YYYY-MM-DDTHH:MM:SS" */
  dateTime: string;
  /** Offset from UTC in minutes, negative west of Greenwich (-360 for UTC-6). */
  offsetMinutes: number;
}

export type ContactCheck =
  | { outcome: 'allowed'; localTime: LocalTime }
  | {
      outcome: 'refused';
      reason: RefusalReason;
      localTime: LocalTime;
      /** Next instant when contact becomes allowed, or null if none in the next 400 days. */
      nextAllowedStart: Date | null;
    };

/** Mexico's preset: every day from 07:00 to 22:00 in the debtor's time zone. */
export const MEXICO_RULE: ContactRule = { jurisdiction: 'MX', window: { start: '07:00', end: '22:00' } };

const LOOKAHEAD_DAYS = 400;
const DAY_MS = 86_400_000;
const WEEKDAYS: readonly Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Parses "HH:MM" into minutes since midnight; throws on anything else. */
export function parseClockTime(value: string): number {
  const match = /^([0-9]{2}):([0-9]{2})$/.exec(value);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  const valid = match !== null && minute < 60 && (hour < 24 || (hour === 24 && minute === 0));
  if (!valid) throw new Error(`invalid time of day ${JSON.stringify(value)}: write HH:MM from 00:00 to 24:00`);
  return hour * 60 + minute;
}

interface CivilParts {
  year: number;
  month: number;
  day: number;
  secondOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function civilParts(timeZone: string, epochMs: number): CivilParts {
  const values: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const hour = values['hour'] ?? 0;
  const minute = values['minute'] ?? 0;
  const second = values['second'] ?? 0;
  return {
    year: values['year'] ?? 0,
    month: values['month'] ?? 0,
    day: values['day'] ?? 0,
    secondOfDay: hour * 3600 + minute * 60 + second,
  };
}

/** Milliseconds of the local wall-clock time read as if it were UTC. */
function wallClockMs(parts: CivilParts): number {
  return Date.UTC(parts.year, parts.month - 1, parts.day) + parts.secondOfDay * 1000;
}

function offsetMs(timeZone: string, epochMs: number): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return wallClockMs(civilParts(timeZone, wholeSecond)) - wholeSecond;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function dateKey(parts: CivilParts): string {
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`;
}

function localTime(timeZone: string, epochMs: number): LocalTime {
  const parts = civilParts(timeZone, epochMs);
  const s = parts.secondOfDay;
  const time = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return { dateTime: `${dateKey(parts)}T${time}`, offsetMinutes: offsetMs(timeZone, epochMs) / 60_000 };
}

/**
 * Converts a local wall-clock time to an instant as jiff's "compatible" disambiguation does.
 * A time repeated by a fall-back transition takes the earlier instant. A time skipped by a
 * spring-forward gap is read with the offset in force before the gap.
 */
function instantOf(timeZone: string, wallMs: number): number {
  const before = wallMs - offsetMs(timeZone, wallMs - DAY_MS);
  const after = wallMs - offsetMs(timeZone, wallMs + DAY_MS);
  const valid = [before, after].filter((candidate) => wallClockMs(civilParts(timeZone, candidate)) === wallMs);
  return valid.length > 0 ? Math.min(...valid) : before;
}

type DayWindow = { start: number; end: number } | { refused: 'holiday' | 'day_not_allowed' };

function windowOn(rule: ContactRule, date: CivilParts): DayWindow {
  if ((rule.holidays ?? []).includes(dateKey(date))) return { refused: 'holiday' };
  const weekdays = rule.weekdays ?? [];
  let window: Window | undefined = rule.window;
  if (weekdays.length > 0) {
    const day = WEEKDAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()];
    window = weekdays.find((entry) => day !== undefined && entry.days.includes(day));
  }
  if (window === undefined) return { refused: 'day_not_allowed' };
  return { start: parseClockTime(window.start) * 60, end: parseClockTime(window.end) * 60 };
}

function nextStart(rule: ContactRule, timeZone: string, nowMs: number, today: CivilParts): Date | null {
  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset += 1) {
    const dayMs = Date.UTC(today.year, today.month - 1, today.day + offset);
    const day = new Date(dayMs);
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), secondOfDay: 0 };
    const window = windowOn(rule, date);
    if ('refused' in window || window.end <= window.start || window.start >= 86_400) continue;
    const startMs = instantOf(timeZone, dayMs + window.start * 1000);
    if (startMs > nowMs) return new Date(startMs);
  }
  return null;
}

/** Checks whether contact at `instant` is allowed by `rule` in the IANA zone `timeZone`. */
export function checkContact(rule: ContactRule, timeZone: string, instant: Date): ContactCheck {
  const nowMs = instant.getTime();
  const today = civilParts(timeZone, nowMs);
  const local = localTime(timeZone, nowMs);
  const window = windowOn(rule, today);
  let reason: RefusalReason;
  if ('refused' in window) {
    reason = window.refused;
  } else if (window.start <= today.secondOfDay && today.secondOfDay < window.end) {
    return { outcome: 'allowed', localTime: local };
  } else if (window.end > window.start && today.secondOfDay < window.start) {
    reason = 'before_window';
  } else {
    reason = 'after_window';
  }
  return { outcome: 'refused', reason, localTime: local, nextAllowedStart: nextStart(rule, timeZone, nowMs, today) };
}

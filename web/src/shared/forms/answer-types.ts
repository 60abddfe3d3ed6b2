// Whether an answer's text fits its question type. Mirrors
// crates/ronda-forms/src/validate/types.rs.

import type { QuestionType } from './model.ts';

const allDigits = (text: string): boolean => /^[0-9]+$/.test(text);

/** An XPath number: -?(\d+(\.\d*)?|\.\d+), without surrounding spaces. */
export function isNumber(text: string): boolean {
  return /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(text);
}

function isInteger(text: string): boolean {
  const unsigned = text.startsWith('-') ? text.slice(1) : text;
  return allDigits(unsigned) && unsigned.length <= 15;
}

function numberIn(text: string, width: number, max: number): number | undefined {
  if (text.length !== width || !allDigits(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

export function isDate(text: string): boolean {
  const parts = text.split('-');
  if (parts.length !== 3) return false;
  const year = numberIn(parts[0] ?? '', 4, 9999);
  const month = numberIn(parts[1] ?? '', 2, 12);
  const day = numberIn(parts[2] ?? '', 2, 31);
  if (year === undefined || month === undefined || day === undefined) return false;
  if (year === 0 || month === 0 || day === 0) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  let daysInMonth = 31;
  if (month === 2) {
    daysInMonth = leap ? 29 : 28;
  } else if ([4, 6, 9, 11].includes(month)) {
    daysInMonth = 30;
  }
  return day <= daysInMonth;
}

function splitOffset(text: string): [string, string | undefined] {
  if (text.endsWith('Z')) return [text.slice(0, -1), 'Z'];
  const at = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at)];
}

/** HH:MM, HH:MM:SS or HH:MM:SS.fff, then optionally Z or ±HH:MM. */
export function isTime(text: string): boolean {
  const [clock, offset] = splitOffset(text);
  if (offset !== undefined && offset !== 'Z') {
    const rest = offset.slice(1);
    const colon = rest.indexOf(':');
    if (colon < 0) return false;
    if (numberIn(rest.slice(0, colon), 2, 14) === undefined) return false;
    if (numberIn(rest.slice(colon + 1), 2, 59) === undefined) return false;
  }
  const parts = clock.split(':');
  const hoursOk = numberIn(parts[0] ?? '', 2, 23) !== undefined;
  const minutesOk = numberIn(parts[1] ?? '', 2, 59) !== undefined;
  if (parts.length === 2) return hoursOk && minutesOk;
  if (parts.length !== 3) return false;
  const seconds = parts[2] ?? '';
  const dot = seconds.indexOf('.');
  const whole = dot < 0 ? seconds : seconds.slice(0, dot);
  const fraction = dot < 0 ? undefined : seconds.slice(dot + 1);
  return hoursOk && minutesOk && numberIn(whole, 2, 59) !== undefined && (fraction === undefined || allDigits(fraction));
}

function isDatetime(text: string): boolean {
  const at = text.indexOf('T');
  return at >= 0 && isDate(text.slice(0, at)) && isTime(text.slice(at + 1));
}

function isGeopoint(text: string): boolean {
  const parts = text.split(' ');
  if (parts.length < 2 || parts.length > 4 || !parts.every(isNumber)) return false;
  const [lat, lon, , acc] = parts.map(Number);
  return (
    lat !== undefined && lat >= -90 && lat <= 90 && lon !== undefined && lon >= -180 && lon <= 180 && (acc === undefined || acc >= 0)
  );
}

/** True when non-blank `text` is a valid answer of `type`, leaving choices aside. */
export function fitsType(type: QuestionType, text: string): boolean {
  switch (type) {
    case 'integer':
      return isInteger(text);
    case 'decimal':
      return isNumber(text);
    case 'date':
      return isDate(text);
    case 'time':
      return isTime(text);
    case 'datetime':
      return isDatetime(text);
    case 'geopoint':
      return isGeopoint(text);
    case 'image':
    case 'signature':
      return /^[0-9a-f]{64}$/.test(text);
    case 'acknowledge':
      return text === 'OK';
    default:
      return true;
  }
}

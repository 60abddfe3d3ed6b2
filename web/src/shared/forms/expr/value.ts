// Values and the XPath 1.0 conversions between them.

import { textToDays } from './dates.ts';
import { isXmlSpace } from './lexer.ts';

/**
 * The result of evaluating an expression. A nodeset holds the answers a
 * `${name}` reference selects: one for an ordinary question, one per instance
 * for a question inside a repeat.
 */
export type Value =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'nodeset'; value: string[] };

export const str = (value: string): Value => ({ type: 'string', value });
export const num = (value: number): Value => ({ type: 'number', value });
export const bool = (value: boolean): Value => ({ type: 'boolean', value });

/** Converts to a string: a nodeset gives its first answer or "". */
export function toText(v: Value): string {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'number':
      return formatNumber(v.value);
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'nodeset':
      return v.value[0] ?? '';
  }
}

/**
 * Converts to a number. Dates and date-times become days since 1970-01-01 in
 * the clock's offset; other non-numeric text is NaN.
 */
export function toNumber(v: Value, clockOffset: number): number {
  switch (v.type) {
    case 'number':
      return v.value;
    case 'boolean':
      return v.value ? 1 : 0;
    case 'string':
      return textToNumber(v.value, clockOffset);
    case 'nodeset': {
      const first = v.value[0];
      return first === undefined ? NaN : textToNumber(first, clockOffset);
    }
  }
}

/** Converts to a boolean. A nodeset is true when one of its answers is not blank. */
export function toBoolean(v: Value): boolean {
  switch (v.type) {
    case 'boolean':
      return v.value;
    case 'number':
      return v.value !== 0 && !Number.isNaN(v.value);
    case 'string':
      return v.value !== '';
    case 'nodeset':
      return v.value.some((node) => node !== '');
  }
}

/**
 * Formats a number the XPath 1.0 way: no exponent, integers without a
 * fraction, and "NaN", "Infinity" or "-Infinity" for the special values.
 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return '0';
  // String() gives the shortest digits that read back as the same number,
  // but in exponent form below 1e-6 and from 1e21, which XPath forbids.
  const shortest = String(n);
  const e = shortest.indexOf('e');
  if (e < 0) return shortest;
  const sign = n < 0 ? '-' : '';
  const mantissa = shortest.slice(sign.length, e);
  const exponent = Number(shortest.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Removes XPath whitespace (space, tab, CR, LF) from both ends. */
export function trimXml(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isXmlSpace(text.charAt(start))) start++;
  while (end > start && isXmlSpace(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

const XPATH_NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

/**
 * Reads text as an XPath number (`-?(\d+(\.\d*)?|\.\d+)` between whitespace)
 * or, failing that, as a date. Anything else is NaN.
 */
export function textToNumber(text: string, clockOffset: number): number {
  const trimmed = trimXml(text);
  if (XPATH_NUMBER.test(trimmed)) return Number(trimmed);
  return textToDays(trimmed, clockOffset) ?? NaN;
}
